/**
 * pods.logs' verdicts on a scripted followed log (one pods/log request): the burst is sent only
 * once the log's last existing line arrived; the burst shown → passed; the tail and nothing
 * after (stale) → failed; lines the probes alone could explain, a burst that cannot be sent, or
 * a log that shows not even its last line → error (thrown: kubeproof could not tell).
 */
import { describe, expect, it } from 'vitest';
import { podsLogs } from '../../../src/checks/smoke/pods-logs.js';
import type { HttpAnswer, KubeObject, LogStream } from '../../../src/kube/cluster-access.js';
import { fakeContext, NS, webPod } from './fake-context.js';

const T0 = Date.parse('2026-12-01T17:00:00Z');
const at = (ms: number, text: string) => `${new Date(T0 + ms).toISOString().replace('Z', '123456Z')} ${text}`;
const request = (ms: number) => at(ms, 'I1201 17:00:00.000000       1 log.go:245] GET /hostname');
const answer = (ms: number) => at(ms, 'I1201 17:00:00.000000       1 log.go:245] hostname: web-a');
const TAIL = answer(-2_000);
/** The burst as agnhost logs it: each request, then its answer, `step` ms apart. */
const burst = (start: number, step = 10) =>
  Array.from({ length: 5 }, (_, i) => [request(start + i * step), answer(start + i * step)]).flat();

interface Script {
  tail: string[];
  /** Lines the log shows once the burst was sent. */
  afterBurst: string[];
  probePeriodSeconds?: number;
  burstFails?: boolean;
}

function run(script: Script) {
  const pod: KubeObject = webPod('web-a', 'worker-0', ['10.200.0.2']);
  pod.spec = {
    ...pod.spec,
    containers: [
      {
        name: 'web',
        readinessProbe: { httpGet: { path: '/hostname', port: 8080 }, periodSeconds: script.probePeriodSeconds ?? 10 },
      },
    ],
  };
  const { ctx } = fakeContext({ objects: { [`pods ${NS}`]: [pod] } });
  const queue = [...script.tail];
  const trace: string[] = [];
  let requests = 0;
  Object.assign(ctx.cluster, {
    followLogs: async <T>(_req: unknown, use: (s: LogStream) => Promise<T>) => {
      requests++;
      // The fake has no clock: a read with nothing queued is one whose deadline passed.
      return use({ nextLine: async () => queue.shift() });
    },
    portForwardGets: async (): Promise<HttpAnswer[]> => {
      trace.push(`burst after ${script.tail.length - queue.length} tail line(s)`);
      if (script.burstFails) throw new Error('error upgrading connection');
      queue.push(...script.afterBurst);
      return Array.from({ length: 5 }, () => ({ status: 200, headers: {}, body: 'web-a' }));
    },
  });
  return { outcome: podsLogs.run(ctx), trace, requests: () => requests };
}

describe('pods.logs verdicts on one followed log', () => {
  it('passes when the burst shows after the last existing line, sent only once that line arrived', async () => {
    const r = run({ tail: [TAIL], afterBurst: burst(100) });
    const out = await r.outcome;
    expect(out.status, out.summary).toBe('passed');
    expect(out.summary).toMatch(/shows 5 new GET \/hostname line\(s\) for the 5 request\(s\)/);
    expect(r.trace).toEqual(['burst after 1 tail line(s)']);
    expect(r.requests()).toBe(1);
    expect(out.evidence).toMatchObject({ newHostnameLines: 5, probeAllowance: 1 });
  });

  it('fails when the log shows its last line and nothing after the burst (stale)', async () => {
    const out = await run({ tail: [TAIL], afterBurst: [] }).outcome;
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(
      /shows 0 new GET \/hostname line\(s\) after kubeproof sent 5 request\(s\): the log is stale/,
    );
    expect(out.evidence).toMatchObject({ lastLines: ['I1201 17:00:00.000000       1 log.go:245] hostname: web-a'] });
  });

  it('fails when fewer new lines than requests show', async () => {
    const out = await run({ tail: [TAIL], afterBurst: burst(100).slice(0, 4) }).outcome;
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/shows 2 new GET \/hostname line\(s\)/);
  });

  it('cannot tell when the probes alone could have written the lines in that window', async () => {
    // A 1 s probe and new lines spread over 8 s: up to 11 probe calls could explain 5 lines.
    await expect(run({ tail: [TAIL], afterBurst: burst(100, 1_500), probePeriodSeconds: 1 }).outcome).rejects.toThrow(
      /probes alone could account for \d+ in that window/,
    );
  });

  it('cannot tell when the burst could not be sent', async () => {
    await expect(run({ tail: [TAIL], afterBurst: [], burstFails: true }).outcome).rejects.toThrow(
      /could not send requests to web-a to look for in its log \(port-forward: error upgrading connection\)/,
    );
  });

  it('cannot tell when the log shows not even its last line, and then sends no burst', async () => {
    const r = run({ tail: [], afterBurst: burst(100) });
    await expect(r.outcome).rejects.toThrow(/showed no line within 10 s, not even its last one/);
    expect(r.trace).toEqual([]);
  });

  it('keeps the evidence lines without control characters', async () => {
    const out = await run({ tail: [at(-1_000, 'hostname: web-a\u001b[31m\u0007')], afterBurst: [] }).outcome;
    expect(out.evidence).toMatchObject({ lastLines: ['hostname: web-a [31m'] });
  });
});
