/**
 * What one whole audit asks of the API server with the run cache (the benchmark's
 * apiRequestsPerAudit, without timing): each followed kind listed and watched at most once, the
 * nodes once, the run's Services never read back, and no read repeated.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAudit, statusVector } from '../../checks/support/sim-audit.js';
import { type SimCluster, startSimCluster } from '../../sim/index.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster();
});
afterAll(() => sim.stop());

/** exec and port-forward: the critical-path side of issue 13, counted apart. */
const isStream = (key: string) => /\/(exec|portforward)\?/.test(key);

it('one audit: one list+watch per followed kind, nodes once, Services from their create, no read repeated', async () => {
  sim.resetAccounting();
  const run = await runAudit(sim, { selection: ['smoke', 'encryption'] });
  const vector = statusVector(run);
  expect(Object.entries(vector).filter(([id, s]) => s !== 'passed' && id !== 'secrets.encryption')).toEqual([]);
  const log = sim.requestLog().filter((e) => !isStream(e.key));
  const count = (verb: string, re: RegExp) => log.filter((e) => e.verb === verb && re.test(e.key)).length;
  const runNs = /\/namespaces\/kubeproof-[a-z0-9]+\//;
  for (const kind of ['pods', 'deployments', 'endpointslices']) {
    const inRun = new RegExp(`${runNs.source}${kind}(\\?|$)`);
    expect(count('list', inRun), `list ${kind}`).toBeLessThanOrEqual(1);
    expect(count('watch', inRun), `watch ${kind}`).toBeLessThanOrEqual(1);
    expect(count('get', new RegExp(`${runNs.source}${kind}/[^/?]+$`)), `get ${kind}`).toBe(0);
  }
  expect(count('list', /^\/api\/v1\/nodes/)).toBe(1);
  expect(count('get', new RegExp(`${runNs.source}services/`))).toBe(0);
  // One log request per audit: pods.logs follows its pod's log across its burst.
  expect(count('get', /\/log\?/)).toBe(1);
  // No read asked twice.
  const seen = new Map<string, number>();
  for (const e of log.filter((e) => ['get', 'list', 'watch'].includes(e.verb)))
    seen.set(`${e.verb} ${e.key}`, (seen.get(`${e.verb} ${e.key}`) ?? 0) + 1);
  expect([...seen].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([]);
  // Cleanup: the delete carries the uid of the create (no get first), and the wait for the
  // namespace to go watches from the delete's answer (no list): the only namespace list is the sweep.
  expect(count('get', /^\/api\/v1\/namespaces\/kubeproof-[a-z0-9]+$/)).toBe(0);
  expect(count('list', /^\/api\/v1\/namespaces(\?|$)/)).toBe(1);
  // secrets.encryption leaves its marker Secret to the namespace's deletion: no delete of its own.
  expect(log.filter((e) => e.verb === 'delete' && /\/secrets\//.test(e.key)).map((e) => e.key)).toEqual([]);
  // The etcd static pod answers (etcd-exec): the metrics strategy's first scrape is not taken,
  // and one etcdctl txn reads the marker's key and the sample (a stream, so not in the bound below).
  expect(count('get', /^\/metrics/)).toBe(0);
  expect(sim.requestLog().filter((e) => /\/pods\/etcd-[^/]+\/exec\?/.test(e.key))).toHaveLength(1);
  // kube-system's pods once per run, unselected, for the shape and the encryption check's etcd
  // lookup alike (the run cache filters it).
  expect(count('list', /^\/api\/v1\/namespaces\/kube-system\/pods(\?|$)/)).toBe(1);
  expect(count('list', /^\/api\/v1\/namespaces\/kube-system\/pods\?/)).toBe(0);
  // The shape's ConfigMaps in one list (EKS's kube-proxy-config with the others): no get of one.
  expect(count('get', /^\/api\/v1\/namespaces\/kube-system\/configmaps\//)).toBe(0);
  expect(count('list', /^\/api\/v1\/namespaces\/kube-system\/configmaps(\?|$)/)).toBeLessThanOrEqual(1);
  // Pods are created without reading ServiceAccounts first: admission waits for `default` itself.
  expect(log.filter((e) => /\/serviceaccounts/.test(e.key)).map((e) => `${e.verb} ${e.key}`)).toEqual([]);
  // One Service (type NodePort) serves the ClusterIP, DNS and NodePort checks.
  expect(count('create', new RegExp(`${runNs.source}services$`))).toBe(1);
  // Before the cache: 74 (main 68a4273); with it, 40 (ff5fb27); cleanup and preflight cuts: 37;
  // no marker delete: 36; no /metrics scrape when etcd-exec answers: 35; one kube-system pod list: 34;
  // the shape's ConfigMaps in one list: 32; one followed log read instead of two: 31;
  // no ServiceAccount wait: 30;
  // one Service: 29.
  expect(log.length).toBeLessThanOrEqual(29);
}, 60_000);
