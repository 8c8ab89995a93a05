/** One request agnhost netexec logged: `GET /hostname`, in klog or Go's plain log format. */
export interface AgnhostRequestLine {
  method: string;
  path: string;
  line: string;
}

// klog: `I0523 14:55:35.277355       1 log.go:245] GET /hostname`; plain: `2023/05/23 14:55:35 GET /hostname`.
const REQUEST = /(?:\] |^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? )(GET|POST|PUT|HEAD|DELETE) (\/\S*)\s*$/;

/** The requests agnhost netexec logged, in order. */
export function agnhostRequests(log: string): AgnhostRequestLine[] {
  const out: AgnhostRequestLine[] = [];
  for (const line of log.split('\n')) {
    const m = REQUEST.exec(line.trimEnd());
    if (m) out.push({ method: m[1] ?? '', path: m[2] ?? '', line: line.trimEnd() });
  }
  return out;
}
