/**
 * Watches end for many reasons that say nothing about the objects watched: the server's own
 * timeout, a load balancer closing an idle connection (EKS's NLB after 350 s), a reset, 410 Gone.
 * waitForObjects must ride them out like client-go's reflector (tools/cache/reflector.go):
 * re-watch from the last resourceVersion after a clean close, re-list after 410, back off and
 * resume after a reset or a 5xx — and only give up with the caller's deadline.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/kube/cluster/limits.js';
import {
  interruptedWaitError,
  newWatchHealth,
  type WatchTransport,
  waitForObjects,
} from '../../src/kube/cluster/wait-for.js';
import { ClusterError, type KubeObject, WATCH_INTERRUPTED } from '../../src/kube/cluster-access.js';

type Script =
  | { kind: 'events'; events: Array<{ type: string; object: KubeObject }>; ending: 'close' | 'reset' | 'hang' }
  | { kind: 'status'; code: number; body: unknown }
  | { kind: 'refused' };

const pod = (name: string, rv: string, ready = false): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv },
  status: { ready },
});

/** A transport whose list answers from `listed()` and whose watches follow `watches` in order. */
function scripted(opts: { lists: Array<() => { items: KubeObject[]; rv: string } | Error>; watches: Script[] }) {
  const requests: string[] = [];
  let listCalls = 0;
  let watchCalls = 0;
  const transport: WatchTransport = {
    limits: DEFAULT_LIMITS,
    async json<T>(spec: { path: string }): Promise<T> {
      requests.push(`LIST ${spec.path}`);
      const answer = (opts.lists[Math.min(listCalls++, opts.lists.length - 1)] ?? (() => new Error('no list')))();
      if (answer instanceof Error) throw answer;
      return { items: answer.items, metadata: { resourceVersion: answer.rv } } as T;
    },
    async open(spec: { path: string; signal: AbortSignal }): Promise<IncomingMessage> {
      requests.push(`WATCH ${spec.path}`);
      const script = opts.watches[watchCalls++];
      if (!script) {
        // Nothing more scripted: a watch that stays open until the caller gives up.
        const idle = Object.assign(new PassThrough(), { statusCode: 200, headers: {} });
        spec.signal.addEventListener('abort', () => idle.destroy());
        return idle as unknown as IncomingMessage;
      }
      if (script.kind === 'refused')
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
      const stream = Object.assign(new PassThrough(), { statusCode: 200, headers: {}, complete: false });
      if (script.kind === 'status') {
        stream.statusCode = script.code;
        stream.end(JSON.stringify(script.body));
        return stream as unknown as IncomingMessage;
      }
      setImmediate(() => {
        for (const e of script.events) stream.write(`${JSON.stringify(e)}\n`);
        if (script.ending === 'close') {
          stream.complete = true;
          stream.end();
        } else if (script.ending === 'reset') {
          // Reset once the client has read what was sent (a reset discards unread data).
          const reset = () =>
            stream.readableLength === 0
              ? stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))
              : setImmediate(reset);
          setImmediate(reset);
        }
      });
      return stream as unknown as IncomingMessage;
    },
  };
  return { transport, requests };
}

const FAST = { initialMs: 1, maxMs: 5, jitter: 0 };
const readyPod = (objs: readonly KubeObject[]) => (objs.some((o) => o.status?.ready) ? 'ready' : undefined);
const rvOf = (request: string) => new URL(`https://x${request.split(' ')[1]}`).searchParams.get('resourceVersion');

describe('waitForObjects survives interrupted watches like the reflector', () => {
  it('clean close: re-watches from the last resourceVersion seen, without re-listing', async () => {
    const { transport, requests } = scripted({
      lists: [() => ({ items: [pod('a', '10')], rv: '10' })],
      watches: [
        { kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '11') }], ending: 'close' },
        {
          kind: 'events',
          events: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } }],
          ending: 'close',
        },
        { kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '16', true) }], ending: 'hang' },
      ],
    });
    const health = newWatchHealth();
    const got = await waitForObjects(transport, 'pods', { namespace: 'ns' }, readyPod, new AbortController().signal, {
      backoff: FAST,
      health,
    });
    expect(got).toBe('ready');
    expect(requests.filter((r) => r.startsWith('LIST'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('WATCH')).map(rvOf)).toEqual(['10', '11', '15']);
  });

  it('reset mid-stream: backs off and resumes from the last resourceVersion', async () => {
    const { transport, requests } = scripted({
      lists: [() => ({ items: [pod('a', '10')], rv: '10' })],
      watches: [
        { kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '12') }], ending: 'reset' },
        { kind: 'refused' },
        { kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '13', true) }], ending: 'hang' },
      ],
    });
    const health = newWatchHealth();
    const got = await waitForObjects(transport, 'pods', { namespace: 'ns' }, readyPod, new AbortController().signal, {
      backoff: FAST,
      health,
    });
    expect(got).toBe('ready');
    expect(requests.filter((r) => r.startsWith('WATCH')).map(rvOf)).toEqual(['10', '12', '12']);
    expect(health.interruptions.join('\n')).toMatch(/ECONNRESET[\s\S]*ECONNREFUSED/);
    expect(health.interrupted).toBe(false);
  });

  it('410 Gone, as a watch status or an ERROR event: re-lists, then watches from the new list', async () => {
    const gone = { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (20)' };
    const { transport, requests } = scripted({
      lists: [
        () => ({ items: [pod('a', '10')], rv: '10' }),
        () => ({ items: [pod('a', '20')], rv: '20' }),
        () => ({ items: [pod('a', '30')], rv: '30' }),
      ],
      watches: [
        { kind: 'status', code: 410, body: gone },
        { kind: 'events', events: [{ type: 'ERROR', object: gone }], ending: 'hang' },
        { kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '31', true) }], ending: 'hang' },
      ],
    });
    const got = await waitForObjects(transport, 'pods', { namespace: 'ns' }, readyPod, new AbortController().signal, {
      backoff: FAST,
    });
    expect(got).toBe('ready');
    expect(requests.map((r) => `${r.split(' ')[0]}${r.startsWith('WATCH') ? ` ${rvOf(r)}` : ''}`)).toEqual([
      'LIST',
      'WATCH 10',
      'LIST',
      'WATCH 20',
      'LIST',
      'WATCH 30',
    ]);
  });

  it('a list refused or answered 503 is retried; a 403 ends the wait at once (not an interruption)', async () => {
    const unavailable = new ClusterError('server', 'the server is currently unable to handle the request', 503);
    const retried = scripted({
      lists: [
        () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        () => unavailable,
        () => ({ items: [pod('a', '5', true)], rv: '5' }),
      ],
      watches: [],
    });
    expect(
      await waitForObjects(retried.transport, 'pods', {}, readyPod, new AbortController().signal, { backoff: FAST }),
    ).toBe('ready');
    const denied = scripted({
      lists: [() => ({ items: [], rv: '1' })],
      watches: [
        {
          kind: 'status',
          code: 403,
          body: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'pods is forbidden' },
        },
      ],
    });
    await expect(
      waitForObjects(denied.transport, 'pods', {}, readyPod, new AbortController().signal, { backoff: FAST }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('a deadline while reconnecting is "could not tell" with its own reason, never a timeout verdict', async () => {
    const { transport } = scripted({
      lists: [
        () => ({ items: [pod('a', '10')], rv: '10' }),
        () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      ],
      watches: [
        { kind: 'events', events: [], ending: 'reset' },
        ...Array.from({ length: 50 }, () => ({ kind: 'refused' }) as const),
      ],
    });
    const health = newWatchHealth();
    const controller = new AbortController();
    const waiting = waitForObjects(transport, 'pods', {}, readyPod, controller.signal, { backoff: FAST, health });
    // Abort once the follower has failed to reconnect at least once: what the call scope's timer does.
    while (!health.interruptions.some((i) => i.includes('ECONNREFUSED'))) await new Promise((r) => setImmediate(r));
    controller.abort(new ClusterError('timeout', 'no answer within 1000 ms'));
    const err = await waiting.catch((e: unknown) => e);
    const reported = interruptedWaitError('pods', health, new ClusterError('timeout', 'no answer within 1000 ms'));
    expect(err).toBeInstanceOf(ClusterError);
    expect(reported).toMatchObject({ kind: 'unreachable', reason: WATCH_INTERRUPTED });
    expect((reported as Error).message).toMatch(/watch of pods was interrupted[\s\S]*ECONNREFUSED/);
    expect((reported as Error).message).not.toMatch(/server URL/);
  });

  it('a deadline in the back-off after a stream was cut is "could not tell" too (nothing reached us since)', async () => {
    const { transport } = scripted({
      lists: [() => ({ items: [pod('a', '10')], rv: '10' })],
      watches: [{ kind: 'events', events: [{ type: 'MODIFIED', object: pod('a', '11') }], ending: 'reset' }],
    });
    const health = newWatchHealth();
    const controller = new AbortController();
    // A back-off far longer than the deadline: the cut is the last thing the wait hears.
    const slow = { initialMs: 60_000, maxMs: 60_000, jitter: 0 };
    const waiting = waitForObjects(transport, 'pods', {}, readyPod, controller.signal, { backoff: slow, health });
    while (health.interruptions.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort(new ClusterError('timeout', 'no answer within 1000 ms'));
    await waiting.catch(() => undefined);
    const reported = interruptedWaitError('pods', health, new ClusterError('timeout', 'no answer within 1000 ms'));
    expect(reported).toMatchObject({ kind: 'unreachable', reason: WATCH_INTERRUPTED });
    expect((reported as Error).message).toMatch(/ECONNRESET/);
  });

  it('a deadline while the watch is live stays a timeout (the objects really did not converge)', () => {
    const health = newWatchHealth();
    health.interruptions.push('watch: closed by the server or a proxy');
    const timeout = new ClusterError('timeout', 'no answer within 1000 ms');
    expect(interruptedWaitError('pods', health, timeout)).toBe(timeout);
  });
});
