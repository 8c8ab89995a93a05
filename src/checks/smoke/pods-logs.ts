import type { LogStream } from '../../kube/cluster-access.js';
import { stripControlChars, truncateBytes } from '../../untrusted-text.js';
import type { CheckContext } from '../types.js';
import { agnhostRequests } from './parsers/agnhost-log.js';
import { kubeletPathFailure } from './shared/kubelet-path.js';
import { callOpts, type PodView, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

/** How many requests kubeproof sends to the pod and then looks for. */
const BURST = 5;
/** How long the log may take to show them (container runtimes flush within milliseconds). */
const WAIT_MS = 10_000;
/** A log line kept as evidence is cut here (an agnhost request line is well under it). */
const LINE_BYTES = 256;

interface TimedLine {
  /** The container runtime's timestamp (node clock), as `timestamps=true` prefixes it. */
  at: number;
  text: string;
}

/**
 * Reads a web pod's log and looks for requests only kubeproof made. `GET /hostname` lines by
 * themselves prove nothing: the kubelet's readiness probe calls the pod every period and agnhost
 * netexec logs every call, whoever asked (and the web pods run with `--http-override=/hostname`,
 * so nothing of a request's own path or query reaches the log: a marker cannot be used). So the
 * check counts, over one followed log request (`follow=true&tailLines=1&timestamps=true`): the
 * kubelet sends the log's last line first (the tail is taken when the request reaches it,
 * kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go ReadLogs), then every line the
 * runtime writes after it. Once that first line has arrived — so the tail was taken before any
 * request of ours, and every later line is new — kubeproof sends BURST requests of its own
 * through the portforward subresource and reads on. The rule:
 *
 *   new GET /hostname lines (after that first line) ≥ BURST, and BURST > the most probe calls
 *   that window could hold (window / probe period + 1, per probe) — otherwise probes alone
 *   could explain what was counted, and the result is `error` (cannot tell).
 *
 * A stale log (frozen: no new lines) or one that shows only the probes fails; a log that shows
 * our burst passes. The window is measured in the runtime's timestamps (the node's clock), so
 * kubeproof's own clock never matters. If the burst itself cannot be sent, or the log shows not
 * even its last line (empty, or no answer), freshness is unknown: error.
 */
export const podsLogs = workloadCheck({
  id: 'pods.logs',
  title: "A web pod's log shows the requests kubeproof just made",
  component: 'apiserver-kubelet',
  prerequisites: ['workload.rollout'],
  // After pods.portforward only (the burst takes the same path, named there first when broken),
  // not after the network checks: their calls landing on the same pod meanwhile are new lines
  // too, never the stale log this looks for, and it must be done before self-heal deletes pods.
  after: ['pods.portforward'],
  rbac: [...RBAC.readPods, ...RBAC.logs, ...RBAC.portForward],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const pods = await readyWebPods(ctx);
    const requested = [...w.requestLog].reverse().find((name) => pods.some((p) => p.name === name));
    const pod = pods.find((p) => p.name === requested) ?? pods[0];
    if (!pod) throw new Error('no ready web pod to read logs from');
    const evidence = { pod: pod.name, node: pod.node, requestsSent: BURST };
    const probePeriods = await probePeriodsOf(ctx, w.namespace, pod.name);

    let seen: Observed;
    try {
      seen = await ctx.cluster.followLogs(
        { namespace: w.namespace, pod: pod.name, container: 'web', tailLines: 1, timestamps: true },
        (stream) => observeBurst(ctx, w.namespace, pod, stream),
        // Two waits of WAIT_MS and the burst fit; the check's own deadline ends it first.
        callOpts(ctx, 30_000),
      );
    } catch (err) {
      return kubeletPathFailure(err, `logs of ${pod.name}`, evidence);
    }
    const { since, fresh } = seen;
    const windowMs = fresh.length > 0 ? Math.max(0, fresh.at(-1)!.at - since) : 0;
    const probeAllowance = probePeriods.reduce((n, s) => n + Math.floor(windowMs / (s * 1000)) + 1, 0);
    const full = { ...evidence, newHostnameLines: fresh.length, probeAllowance, lastLines: lastLines(seen.lines) };
    if (fresh.length >= BURST && BURST > probeAllowance) {
      return {
        status: 'passed',
        summary: `log of ${pod.name} shows ${fresh.length} new GET /hostname line(s) for the ${BURST} request(s) kubeproof just sent`,
        evidence: full,
      };
    }
    if (fresh.length >= BURST) {
      throw new Error(
        `log of ${pod.name} grew by ${fresh.length} line(s), but its probes alone could account for ${probeAllowance} in that window`,
      );
    }
    return {
      status: 'failed',
      summary: `log of ${pod.name} shows ${fresh.length} new GET /hostname line(s) after kubeproof sent ${BURST} request(s): the log is stale (what it holds are earlier calls and the kubelet's probes)`,
      evidence: full,
      hint: 'The log stream is readable but stale: check the container runtime log files on that node (/var/log/pods), their rotation, and the kubelet (articles 10, 11).',
    };
  },
});

interface Observed {
  /** Runtime timestamp of the line the log held last before the burst. */
  since: number;
  /** GET /hostname lines the stream showed after it. */
  fresh: TimedLine[];
  /** Every line the stream showed, that first one included. */
  lines: TimedLine[];
}

/**
 * On the open stream: waits for the log's last existing line, sends the burst, then reads until
 * BURST new GET /hostname lines showed or WAIT_MS passed (a stale log shows fewer: failed).
 */
async function observeBurst(ctx: CheckContext, namespace: string, pod: PodView, stream: LogStream): Promise<Observed> {
  const nextTimed = async (deadline: number): Promise<TimedLine | undefined> => {
    for (;;) {
      const raw = await stream.nextLine(deadline);
      if (raw === undefined) return undefined;
      const line = timedLine(raw);
      if (line) return line;
    }
  };
  const first = await nextTimed(Date.now() + WAIT_MS);
  if (!first) {
    // An agnhost pod always logs its start; no line at all means no answer or an ended stream.
    throw new Error(
      `log of ${pod.name} showed no line within ${WAIT_MS / 1000} s, not even its last one: its freshness cannot be told`,
    );
  }
  const lines = [first];
  const fresh: TimedLine[] = [];
  await sendBurst(ctx, namespace, pod);
  const deadline = Date.now() + WAIT_MS;
  while (fresh.length < BURST) {
    const line = await nextTimed(deadline);
    if (!line) break;
    lines.push(line);
    if (isHostnameRequest(line.text)) fresh.push(line);
  }
  return { since: first.at, fresh, lines };
}

/** `2024-05-23T14:55:35.277355123Z I0523 ... GET /hostname` → time and text; undefined without a timestamp. */
function timedLine(line: string): TimedLine | undefined {
  const space = line.indexOf(' ');
  if (space < 0) return undefined;
  const stamp = line.slice(0, space);
  const at = Date.parse(stamp);
  if (Number.isNaN(at)) return undefined;
  // Sub-millisecond digits order lines written in the same millisecond.
  const fraction = /\.(\d+)/.exec(stamp)?.[1] ?? '';
  return { at: at + Number(`0.${fraction.slice(3) || '0'}`), text: line.slice(space + 1) };
}

const isHostnameRequest = (text: string) => agnhostRequests(text).some((r) => r.path === '/hostname');

/** The periods (s) of the web container's HTTP probes: the calls that reach the log without us. */
async function probePeriodsOf(ctx: CheckContext, namespace: string, pod: string): Promise<number[]> {
  const obj = await ctx.cluster.get('pods', pod, namespace, callOpts(ctx));
  const web = (obj.spec?.containers ?? []).find((c: { name?: string }) => c.name === 'web') ?? {};
  return [web.readinessProbe, web.livenessProbe, web.startupProbe]
    .filter((p) => p?.httpGet)
    .map((p) => Number(p?.periodSeconds ?? 10));
}

/**
 * kubeproof's own requests to the pod, through the API server's portforward path: BURST GETs
 * over one forwarded connection (one upgrade); agnhost logs each request, not each connection.
 */
async function sendBurst(ctx: CheckContext, namespace: string, pod: PodView): Promise<void> {
  try {
    const answers = await ctx.cluster.portForwardGets(
      { namespace, pod: pod.name, port: 8080, path: '/hostname' },
      BURST,
      callOpts(ctx),
    );
    const bad = answers.find((a) => a.status !== 200);
    if (bad) throw new Error(`answered HTTP ${bad.status}`);
  } catch (err) {
    // Without requests of our own in the log, its freshness cannot be told: error, not failed.
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`could not send requests to ${pod.name} to look for in its log (port-forward: ${why})`);
  }
}

/** The last lines the stream showed, as evidence: the pod's own text, so bounded and without control characters. */
const lastLines = (lines: TimedLine[]) =>
  lines.slice(-3).map((l) => truncateBytes(stripControlChars(l.text).trimEnd(), LINE_BYTES));
