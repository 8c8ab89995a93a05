import type { IncomingMessage } from 'node:http';
import type { LogStream, LogsRequest } from '../cluster-access.js';
import { cappedLines, tooLarge } from './body.js';
import { objectPath } from './resources.js';
import type { Transport } from './transport.js';

/** The pods/log path with the request's options (`container` already resolved). */
export function logPath(req: LogsRequest, container: string): string {
  const q = new URLSearchParams({ container });
  if (req.tailLines !== undefined) q.set('tailLines', String(req.tailLines));
  if (req.timestamps) q.set('timestamps', 'true');
  if (req.sinceSeconds !== undefined) q.set('sinceSeconds', String(req.sinceSeconds));
  return `${objectPath('pods', req.pod, req.namespace)}/log?${q}`;
}

/**
 * One `follow=true` pods/log request, read as lines by `use` and closed when `use` settles or
 * `signal` aborts. The API server proxies the kubelet's chunked answer as it comes and ends it
 * only when the container stops or we close it, so the stream is bounded here: in bytes
 * (`maxBytes` in all; `limitBytes` asks the kubelet to stop just past it, so a stream that
 * reaches it is told apart from one that ended), and in time by the caller's deadlines and signal.
 */
export async function followLogLines<T>(
  http: Transport,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
  use: (lines: LogStream) => Promise<T>,
): Promise<T> {
  const closed = new AbortController();
  const both = AbortSignal.any([signal, closed.signal]);
  const what = `the log stream of ${path.split('?')[0]}`;
  const opened = http.openOk({
    method: 'GET',
    path: `${path}&follow=true&limitBytes=${maxBytes + 1}`,
    accept: '*/*',
    signal: both,
  });
  // Rejections are taken by the first nextLine; one never asked for (use gave up early) is not unhandled.
  opened.catch(() => undefined);
  let lines: AsyncGenerator<string> | undefined;
  let pending: Promise<IteratorResult<string>> | undefined;
  let read = 0;

  const next = async (): Promise<IteratorResult<string>> => {
    lines ??= counted(await opened);
    return lines.next();
  };
  async function* counted(res: IncomingMessage): AsyncGenerator<string> {
    for await (const line of cappedLines(res, maxBytes, what)) {
      read += Buffer.byteLength(line) + 1;
      if (read > maxBytes) {
        res.destroy();
        throw tooLarge(what, maxBytes);
      }
      yield line;
    }
  }

  const stream: LogStream = {
    async nextLine(deadline) {
      pending ??= next();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
      });
      try {
        const got = await Promise.race([pending, late]);
        if (got === 'late') return undefined;
        pending = undefined;
        return got.done ? undefined : got.value;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  try {
    return await use(stream);
  } finally {
    // Aborting destroys the request and its socket: a followed stream never ends by itself.
    closed.abort();
    pending?.catch(() => undefined);
    void lines?.return(undefined).catch(() => undefined);
  }
}
