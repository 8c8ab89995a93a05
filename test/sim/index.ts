/**
 * The simulated cluster, in-process: an HTTPS API server on a loopback port, its store, the
 * controllers and kubelets, the container runtime and Secret storage, wired together.
 *
 * @example
 * const sim = await startSimCluster({ faults: ['kube-proxy-no-balance'] });
 * const kc = new KubeConfig(); kc.loadFromString(sim.kubeconfig);
 * ...
 * sim.faults.enable('coredns-down');
 * await sim.stop();
 */
import { randomBytes } from 'node:crypto';
import { startGenerateEngine } from './admission/generate.js';
import { type AdmissionOptions, createAdmission } from './admission/index.js';
import { bootstrapCluster, podRangesOf } from './bootstrap.js';
import type { ClusterView, KubeObj, Latencies } from './contracts.js';
import { type RunningControllers, type SimTimings, startControllers } from './controllers/index.js';
import { applyNodeLoad } from './controllers/node-load.js';
import { createFaultSet, type FaultSpec, type SimFaultSet } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import { startIdleProxy } from './network/idle-proxy.js';
import { startDefaultDenyEngine } from './network/network-policy.js';
import { DEFAULT_TIMEOUT_SCALE } from './network/timing.js';
import { type ClusterProfile, faultRefusal, getProfile, type ProfileName } from './profiles/index.js';
import { kthwShape } from './profiles/kthw.js';
import { createContainerRuntime, type SimContainerRuntime } from './runtime/index.js';
import { Accounting, type AccountingSnapshot, type RequestLogEntry } from './server/accounting.js';
import { ApiServer } from './server/api-server.js';
import { ControlServer } from './server/control-server.js';
import { versionInfo } from './server/version.js';
import { createSecretStorage, type ProviderName, type SecretStorage } from './storage/index.js';
import { createMemoryStore, type MemoryStore } from './store/memory-store.js';
import { recordTimeline, type SimTimeline } from './timeline.js';
import { createCertificateAuthority, issueServingCertificate } from './tls.js';

export type { FaultName, FaultSpec } from './fault-catalog.js';
export { PROFILE_NAMES, type ProfileName } from './profiles/index.js';

export interface SimClusterOptions {
  /** Pods of other tenants requesting that % of a node's CPU and memory (`--node-load`), for uneven scheduling. */
  nodeLoad?: Record<string, number>;
  /** The kind of cluster to look and behave like (default `kthw`, today's default); see profiles/. */
  profile?: ProfileName;
  /** Worker nodes (default 2); the profile adds its control-plane node where it registers one. */
  nodes?: number;
  /** Nodes publish spec.podCIDR(s) (default true). */
  podCidr?: boolean;
  clusterDomain?: string;
  encryption?: { provider: ProviderName; keyName?: string; key?: Buffer };
  etcd?: { endpoints: string[]; ca?: string; cert?: string; key?: string };
  faults?: FaultSpec[];
  latencies?: Partial<Latencies>;
  /** Node-agent and node-lifecycle timings (heartbeat, monitor grace, back-off), already scaled down by default. */
  timings?: Partial<SimTimings>;
  /** The kubeconfig user's name, as it appears in RBAC messages (default 'kubeproof'). */
  user?: string;
  token?: string;
  /** Port for the API server (default 0: a free one). */
  port?: number;
  /** Port for the control endpoint's own listener (default 0: a free one). */
  controlPort?: number;
  /** Only the API server and its store: no nodes, controllers or runtime (for API-level tests). */
  apiOnly?: boolean;
  /**
   * Admission policy denials in the forms real clusters send (Pod Security defaults, a validating
   * webhook, a ValidatingAdmissionPolicy), on top of the profile's own; see admission/.
   * ResourceQuota and LimitRange apply through their objects (create them in a namespace).
   */
  admission?: AdmissionOptions;
  /**
   * A load balancer in front of the API server that ends connections idle for `idleMs`
   * (`mode` close: FIN, reset: RST); the kubeconfig then points at it. See network/idle-proxy.ts.
   */
  idleNetwork?: { idleMs: number; mode?: 'close' | 'reset' };
  /** Events kept for watch resumption (default 2000). */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 10 s). */
  bookmarkIntervalMs?: number;
  /**
   * The Kubernetes version the API server claims and authorizes like (default v1.32.4):
   * `v1.35.0`, `1.35`. From v1.35 a WebSocket exec/attach/portforward also needs `create`.
   */
  serverVersion?: string;
  /** Record when pods start, become Ready, restart and go, per namespace (timeline.ts; the benchmark's critical path). */
  timeline?: boolean;
}

export interface SimCluster {
  url: string;
  port: number;
  /** The control endpoint on its own port (`/__sim/...`), reachable even while apiserver-unreachable is on. */
  controlUrl: string;
  /** YAML with certificate-authority-data and the token, context 'sim'. */
  kubeconfig: string;
  token: string;
  caPem: string;
  user: string;
  faults: SimFaultSet;
  store: MemoryStore;
  /** Where Secrets are stored as kube-apiserver stores them (raw values, etcdctl, metrics). */
  secretStorage: SecretStorage;
  /** The containers and pod network (undefined with apiOnly). */
  runtime: SimContainerRuntime | undefined;
  latencies: Latencies;
  /** The per-namespace record of what happened when (with `timeline: true`). */
  timeline: SimTimeline | undefined;
  accounting(): AccountingSnapshot;
  /** Every API request since the last reset, in order (bounded): for finding polling patterns. */
  requestLog(): RequestLogEntry[];
  resetAccounting(): void;
  setLatencies(patch: Partial<Latencies>): void;
  /** Resolves once listener changes caused by toggling `apiserver-unreachable` are done. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const defaultLatencies: Latencies = { podStartMs: 50, endpointDelayMs: 20, apiLatencyMs: 0, dnsLatencyMs: 1 };

export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  const user = options.user ?? 'kubeproof';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const version = versionInfo(options.serverVersion);
  const profileName = options.profile ?? 'kthw';
  const profile = getProfile(profileName);
  const workers = options.nodes ?? 2;
  // --no-pod-cidr is a variant of today's default shape; other profiles say themselves what nodes publish.
  const shape = profileName === 'kthw' ? kthwShape(workers, options.podCidr ?? true) : profile.shape(workers);
  const serviceCidr = shape.serviceCidrs[0]!;
  // One object, mutated in place: controllers and the runtime read it at use time.
  const latencies: Latencies = { ...defaultLatencies, ...(options.latencies ?? {}) };
  const faults = createFaultSet(options.faults ?? [], {
    refuse: (name) => faultRefusal(profileName, name),
    standingRbacDenials: (shape.deniedPaths ?? []).map((path): [string, string] => ['get', path]),
  });
  const accounting = new Accounting();

  const storage = createSecretStorage({
    provider: options.encryption?.provider ?? 'identity',
    keyName: options.encryption?.keyName,
    key: options.encryption?.key,
    etcd: options.etcd,
  });
  let storageWrites: Promise<void> = Promise.resolve();
  const mirrorSecret = (type: string, secret: KubeObj) => {
    const write = (
      type === 'DELETED'
        ? storage.onSecretDeleted(secret.metadata.namespace ?? 'default', secret.metadata.name)
        : storage.onSecretWritten(secret)
    ).catch((e: unknown) => {
      process.emitWarning(`simulated cluster: secret storage write failed: ${(e as Error).message}`);
    });
    storageWrites = storageWrites.then(() => write);
  };
  const store = createMemoryStore({
    admit: createAdmission({
      ...(profile.admission ?? {}),
      ...(options.admission ?? {}),
      podSecurity: { ...(profile.admission?.podSecurity ?? {}), ...(options.admission?.podSecurity ?? {}) },
    }),
    historyLimit: options.historyLimit,
    serviceCidr,
    secondaryServiceCidr: shape.serviceCidrs[1],
    onWrite: (resource, event) => {
      if (resource === 'secrets') mirrorSecret(event.type, event.object);
    },
  });

  const timeline = options.timeline ? recordTimeline(store) : undefined;
  const ca = await createCertificateAuthority('kubernetes');
  const serving = await issueServingCertificate(ca);

  let runtime: SimContainerRuntime | undefined;
  let policyEngineStop: (() => void) | undefined;
  let controllers: RunningControllers | undefined;
  const view: ClusterView = {
    store,
    faults,
    latencies,
    clusterDomain,
    enforcesNetworkPolicy: profile.enforcesNetworkPolicy ?? false,
    // kubeadm's APIServerKubeletClientCertCommonName (cmd/kubeadm/app/constants/constants.go), the CN
    // of the apiserver-kubelet-client.crt the static kube-apiserver pod's --kubelet-client-certificate names.
    apiserverKubeletUser: profile.apiserverKubeletUser ?? 'kube-apiserver-kubelet-client',
    etcdctl: (args, stdin) => storage.etcdctl(args, stdin),
    onContainerExit: (...args) => controllers?.onContainerExit(...args),
  };
  if (!options.apiOnly) {
    bootstrapCluster(store, {
      shape,
      clusterDomain,
      // identity alone is what a cluster without an EncryptionConfiguration stores: no flag then.
      encryption: options.encryption !== undefined && options.encryption.provider !== 'identity',
      kubernetesVersion: version.gitVersion,
    });
    applyNodeLoad(store, options.nodeLoad ?? {});
    runtime = createContainerRuntime(view);
    const stops = [
      profile.admission?.defaultDenyNetworkPolicy ? startDefaultDenyEngine(store) : undefined,
      options.admission?.generate?.length ? startGenerateEngine(store, options.admission.generate) : undefined,
    ];
    policyEngineStop = () => {
      for (const stop of stops) stop?.();
    };
    controllers = startControllers({
      store,
      faults,
      latencies,
      clusterDomain,
      runtime,
      timings: options.timings,
      caPem: ca.certPem,
      podRanges: (node) => podRangesOf(shape, node),
      firstPullMs: firstPullDelay(profile),
    });
  }

  const setLatencies = (patch: Partial<Latencies>) => {
    for (const [k, v] of Object.entries(patch)) {
      if (k in latencies && typeof v === 'number' && v >= 0) latencies[k as keyof Latencies] = v;
    }
  };
  const control = { faults, accounting, latencies: () => ({ ...latencies }), setLatencies };
  const server = new ApiServer({
    store,
    faults,
    accounting,
    user,
    token,
    version,
    tls: serving,
    latencies: () => latencies,
    runtime: () => runtime,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    defaultWatchTimeoutMs: 30 * 60_000,
    storageSettled: () => storageWrites,
    metricsExtra: () => storage.metricsText(),
    control,
  });
  // The watch cache starts at the resourceVersion the API server first lists at: a watch from
  // an older one is answered 410 Expired, as on a real server (memory-store.ts: compact).
  store.compact(store.resourceVersion());
  const controlServer = new ControlServer(serving, token, control);
  let port: number;
  let controlPort: number;
  try {
    port = await server.start(options.port ?? 0);
    controlPort = await controlServer.listen(options.controlPort ?? 0);
  } catch (e) {
    timeline?.stop();
    controllers?.stop();
    runtime?.dispose();
    await server.stop();
    await controlServer.close();
    await storage.close();
    throw e;
  }
  const balancer = options.idleNetwork
    ? await startIdleProxy({
        targetPort: port,
        idleMs: options.idleNetwork.idleMs,
        mode: options.idleNetwork.mode ?? 'close',
      })
    : undefined;
  if (balancer) port = balancer.port;
  const url = `https://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    port,
    controlUrl: `https://127.0.0.1:${controlPort}`,
    kubeconfig: renderKubeconfig({ server: url, caPem: ca.certPem, token, user }),
    token,
    caPem: ca.certPem,
    user,
    faults,
    store,
    secretStorage: storage,
    runtime,
    latencies,
    timeline,
    accounting: () => accounting.snapshot(),
    requestLog: () => accounting.requestLog(),
    resetAccounting: () => accounting.reset(),
    setLatencies,
    settled: () => server.settled(),
    stop() {
      stopped ??= (async () => {
        timeline?.stop();
        controllers?.stop();
        policyEngineStop?.();
        runtime?.dispose();
        await balancer?.close();
        await server.stop();
        await controlServer.close();
        await storageWrites;
        await storage.close();
      })();
      return stopped;
    },
  };
}

/** The slow registry of a profile: each node's first pull of an image, scaled like client time-outs. */
function firstPullDelay(
  profile: ClusterProfile,
): ((node: string) => { waitMs: number; reportedMs: number }) | undefined {
  const range = profile.firstPullMs;
  if (!range) return undefined;
  return () => {
    const reportedMs = Math.round(range.min + Math.random() * (range.max - range.min));
    return { waitMs: reportedMs * DEFAULT_TIMEOUT_SCALE, reportedMs };
  };
}
