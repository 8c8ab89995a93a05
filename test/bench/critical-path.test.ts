import { describe, expect, it } from 'vitest';
import { criticalPathOf } from '../../bench/critical-path.js';
import { repeatedRequests } from '../../bench/polling.js';
import type { TimelineEntry } from '../sim/timeline.js';

const ns = 'kubeproof-x';
const e = (
  at: number,
  kind: TimelineEntry['kind'],
  name: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  at,
  kind,
  namespace: ns,
  name,
  ...extra,
});

describe('the critical path from the cluster timeline', () => {
  it('is the slowest first pod start + endpoint propagation + the later web pod starts, or the restart if longer', () => {
    const rs = { owner: 'ReplicaSet' };
    const timeline = [
      e(0, 'pod-created', 'web-a', rs),
      e(0, 'pod-created', 'web-b', rs),
      e(10, 'pod-created', 'client', { owner: '' }),
      e(1500, 'pod-ready', 'web-a', { ...rs, ip: '10.0.0.1' }),
      e(1600, 'pod-ready', 'web-b', { ...rs, ip: '10.0.0.2' }),
      e(1700, 'pod-ready', 'client', { owner: '', ip: '10.0.0.9' }),
      e(1800, 'endpoint-ready', 'web-x', { ip: '10.0.0.1' }),
      e(1900, 'endpoint-ready', 'web-x', { ip: '10.0.0.2' }),
      // self-heal: web-a deleted, web-c replaces it; then scale-up web-d
      e(3000, 'pod-deleting', 'web-a', rs),
      e(3000, 'pod-created', 'web-c', rs),
      e(4500, 'pod-ready', 'web-c', { ...rs, ip: '10.0.0.3' }),
      e(5000, 'pod-created', 'web-d', rs),
      e(6400, 'pod-ready', 'web-d', { ...rs, ip: '10.0.0.4' }),
      // restart of the client's sibling probe: unready → Ready again 50 ms later
      e(7000, 'pod-unready', 'client', { owner: '' }),
      e(7050, 'pod-ready', 'client', { owner: '' }),
    ];
    const path = criticalPathOf(timeline, 2);
    expect(path.parts).toEqual({
      initialPodStartMs: 1690,
      endpointPropagationMs: 300,
      laterWebPodStartsMs: [1500, 1400],
      restartMs: 50,
    });
    expect(path.criticalPathMs).toBe(1690 + 300 + 2900);
  });
});

describe('repeated requests', () => {
  it('lists a question asked three times and calls it polling when asked at a regular interval', () => {
    const log = [0, 1000, 2000, 3000].map((at) => ({ at, verb: 'list', key: '/api/v1/pods' }));
    log.push(...[0, 5, 900].map((at) => ({ at, verb: 'get', key: '/api/v1/nodes' })));
    log.push(...[0, 1, 2, 3].map((at) => ({ at, verb: 'watch', key: '/api/v1/pods?watch=1' })));
    const { repeated, polling } = repeatedRequests(log);
    expect(repeated.map((r) => [r.request, r.count])).toEqual([
      ['list /api/v1/pods', 4],
      ['get /api/v1/nodes', 3],
    ]);
    expect(polling.map((r) => r.request)).toEqual(['list /api/v1/pods']);
  });
});
