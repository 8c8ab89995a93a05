/**
 * A ClusterAccess stand-in for the encryption check's strategy tests, wired to the
 * simulation's Secret storage (and so to a real etcd): creating a Secret stores it as
 * kube-apiserver would, exec in the etcd pod runs the storage's etcdctl, /metrics prints
 * its counters. Faults mirror the simulated cluster's names. Only the calls the check
 * makes are implemented; anything else throws so a new call cannot pass unnoticed.
 */

import { type ClusterAccess, ClusterError, type KubeObject } from '../../src/kube/cluster-access.js';
import { developerPolicy } from '../../src/net/outbound-policy.js';
import type { KubeObj } from '../sim/contracts.js';
import type { SecretStorage } from '../sim/storage/index.js';

export interface FakeClusterOptions {
  storage: SecretStorage;
  /** `rbac-missing:create:pods/exec`, `rbac-missing:get:/metrics`, `rbac-missing:list:pods`. */
  faults?: string[];
  /** kubeadm static pods present in kube-system (default: both). */
  staticPods?: { etcd: boolean; apiserver: boolean };
  /** kube-apiserver's --encryption-provider-config, or null when it runs without. */
  encryptionProviderConfig?: string | null;
  /** Leave deleted Secrets in etcd, so a test can look at the bytes the check saw. */
  keepDeletedSecrets?: boolean;
}

export interface FakeCluster {
  cluster: ClusterAccess;
  calls: string[];
}

const forbidden = (message: string) => new ClusterError('forbidden', message, 403, 'Forbidden');

function staticPod(component: string, args: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-controlplane`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
    },
    spec: { nodeName: 'controlplane', containers: [{ name: component, command: [component, ...args] }] },
    status: { phase: 'Running' },
  };
}

export function createFakeCluster(options: FakeClusterOptions): FakeCluster {
  const faults = new Set(options.faults ?? []);
  const pods = options.staticPods ?? { etcd: true, apiserver: true };
  const config =
    options.encryptionProviderConfig === undefined
      ? '/etc/kubernetes/enc/config.yaml'
      : options.encryptionProviderConfig;
  const calls: string[] = [];
  const unused = (name: string) => () => {
    throw new Error(`fake cluster: ${name} is not expected from secrets.encryption`);
  };
  const cluster = {
    server: 'https://127.0.0.1:6443',
    async create(resource: string, obj: KubeObject, namespace?: string) {
      calls.push(`create ${resource} ${namespace}/${obj.metadata?.name}`);
      if (resource !== 'secrets') throw new Error(`unexpected create of ${resource}`);
      await options.storage.onSecretWritten(obj as KubeObj);
      return obj;
    },
    async delete(resource: string, name: string, namespace?: string) {
      calls.push(`delete ${resource} ${namespace}/${name}`);
      if (!options.keepDeletedSecrets) await options.storage.onSecretDeleted(namespace ?? 'default', name);
    },
    async list(resource: string, selector?: { namespace?: string; labelSelector?: string }) {
      calls.push(`list ${resource} ${selector?.namespace} ${selector?.labelSelector}`);
      if (faults.has('rbac-missing:list:pods')) {
        throw forbidden(
          'pods is forbidden: User "kubeproof" cannot list resource "pods" in API group "" in the namespace "kube-system"',
        );
      }
      const items: KubeObject[] = [];
      if (pods.etcd && selector?.labelSelector?.includes('component=etcd')) {
        items.push(staticPod('etcd', ['--listen-client-urls=https://127.0.0.1:2379']));
      }
      if (pods.apiserver && selector?.labelSelector?.includes('component=kube-apiserver')) {
        items.push(
          staticPod('kube-apiserver', config ? [`--encryption-provider-config=${config}`] : ['--secure-port=6443']),
        );
      }
      return { items, resourceVersion: '1' };
    },
    async exec(req: { namespace: string; pod: string; container?: string; command: string[]; stdin?: string }) {
      calls.push(`exec ${req.namespace}/${req.pod} ${req.command[0]}`);
      if (faults.has('rbac-missing:create:pods/exec')) {
        throw forbidden(
          `pods "${req.pod}" is forbidden: User "kubeproof" cannot create resource "pods/exec" in API group "" in the namespace "kube-system"`,
        );
      }
      if (req.command[0] !== 'etcdctl') throw new Error(`unexpected command ${req.command[0]}`);
      return options.storage.etcdctl(req.command.slice(1), req.stdin);
    },
    async rawGet(path: string) {
      calls.push(`get ${path}`);
      if (faults.has('rbac-missing:get:/metrics')) {
        throw forbidden('forbidden: User "kubeproof" cannot get path "/metrics"');
      }
      return `# HELP apiserver_request_total [STABLE] Counter of apiserver requests.\n# TYPE apiserver_request_total counter\n${options.storage.metricsText()}`;
    },
    version: unused('version'),
    canI: unused('canI'),
    get: unused('get'),
    patch: unused('patch'),
    waitFor: unused('waitFor'),
    logs: unused('logs'),
    followLogs: unused('followLogs'),
    portForwardGet: unused('portForwardGet'),
    portForwardGets: unused('portForwardGets'),
    close: () => {},
    // The test etcd listens on loopback, as in the developer set-up.
    outbound: developerPolicy(),
  };
  // The check only makes the calls above; the cast keeps the fake to what it really uses.
  return { cluster: cluster as unknown as ClusterAccess, calls };
}
