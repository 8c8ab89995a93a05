/**
 * `--node-load NODE=PERCENT[,NODE=PERCENT...]`: other tenants' workloads on some nodes, so a
 * healthy cluster's scheduler spreads imperfectly. Each listed node gets a pod in namespace
 * `sim-load` requesting PERCENT of its allocatable CPU and memory (a pause container), bound to
 * it; kube-scheduler's NodeResourcesFit then scores that node lower, as on a real busy node.
 */
import type { KubeObj, SimStore } from '../contracts.js';
import { allocatableOf } from './scheduler-scoring.js';

export const NODE_LOAD_NAMESPACE = 'sim-load';

export function applyNodeLoad(store: SimStore, load: Record<string, number>): void {
  const entries = Object.entries(load);
  if (entries.length === 0) return;
  if (!store.get('namespaces', undefined, NODE_LOAD_NAMESPACE)) {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NODE_LOAD_NAMESPACE } });
  }
  for (const [nodeName, percent] of entries) {
    const node = store.get('nodes', undefined, nodeName);
    if (!node) throw new Error(`--node-load: no node named "${nodeName}"`);
    const alloc = allocatableOf(node);
    const pod: KubeObj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `load-${nodeName}`, namespace: NODE_LOAD_NAMESPACE, labels: { app: 'sim-load' } },
      spec: {
        nodeName,
        containers: [
          {
            name: 'load',
            image: 'registry.k8s.io/pause:3.10',
            resources: {
              requests: {
                cpu: `${Math.floor((alloc.cpu * percent) / 100)}m`,
                memory: `${Math.floor((alloc.memory * percent) / 100 / 2 ** 20)}Mi`,
              },
            },
          },
        ],
      },
    };
    store.create('pods', pod);
  }
}

/** `worker-0=80,worker-1=40` → { 'worker-0': 80, 'worker-1': 40 }; throws a readable message. */
export function parseNodeLoad(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').filter(Boolean)) {
    const [name = '', value = ''] = part.split('=');
    if (!name || !/^\d+$/.test(value) || Number(value) > 100) {
      throw new Error(`--node-load expects NODE=PERCENT[,NODE=PERCENT...] with PERCENT 0-100, got "${part}"`);
    }
    out[name] = Number(value);
  }
  return out;
}
