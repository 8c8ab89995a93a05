/**
 * kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy images: one Go binary on
 * a distroless base. The process runs; exec finds no shell or tools.
 *
 * Faults that break the component itself make its process fail the way these binaries fail:
 * component-base's cli.Run logs `"command failed" err="..."` at run.go:72 and exits 1, so the
 * kubelet restarts it into CrashLoopBackOff (a DaemonSet's pods for kube-proxy, the static pod
 * for kube-controller-manager). The errors are ones seen on real clusters: kube-proxy's `failed
 * complete: too many open files`, and a kube-controller-manager whose kubeconfig is missing
 * (`serving.go:386] Generated self-signed cert in-memory` first) — both quoted from operators'
 * logs in public troubleshooting write-ups. A running component given the fault fails at once
 * (as if restarted into the broken state); once the fault is lifted the next restart runs.
 */
import type { FaultName } from '../fault-catalog.js';
import { serveHttp } from './http/server.js';
import { klogLine } from './klog.js';
import type { EmulatedImage, ProcessEnv, Program } from './types.js';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

/** The port each component serves its health endpoints on (kubeadm's static pod probes, kube-proxy's healthz). */
const HEALTH_PORTS: Record<string, number> = {
  'kube-apiserver': 6443,
  'kube-controller-manager': 10257,
  'kube-scheduler': 10259,
  'kube-proxy': 10256,
};

interface ComponentFailure {
  fault: FaultName;
  /** klog lines (source, message) printed before the failure. */
  preamble: Array<[string, string]>;
  err: string;
}

const FAILURES: Record<string, ComponentFailure> = {
  'kube-proxy': { fault: 'kube-proxy-down', preamble: [], err: 'failed complete: too many open files' },
  'kube-controller-manager': {
    fault: 'controller-manager-down',
    preamble: [['serving.go:386', 'Generated self-signed cert in-memory']],
    err: 'stat /etc/kubernetes/controller-manager.conf: no such file or directory',
  },
};

const logAt = (source: string, message: string, severity: 'I' | 'E' = 'I') =>
  klogLine(message, undefined, severity).replace('log.go:245', source);

/** Prints the component's failure and returns its exit status (cli.Run: 1). */
function fail(proc: ProcessEnv, failure: ComponentFailure): number {
  for (const [source, message] of failure.preamble) proc.io.stderr(logAt(source, message));
  proc.io.stderr(logAt('run.go:72', `"command failed" err="${failure.err}"`, 'E'));
  return 1;
}

const component: Program = async (proc) => {
  const name = (proc.argv[0] ?? '').split('/').pop() ?? '';
  const failure = FAILURES[name];
  const faults = proc.ctx.faults;
  if (failure && faults?.has(failure.fault)) return fail(proc, failure);
  proc.io.stderr(logAt('server.go:160', 'Version: v1.32.0'));
  // /livez, /readyz, /healthz answer `ok` (the kubelet's liveness probes of the static pods reach them).
  const port = HEALTH_PORTS[name];
  if (port) proc.listenTcp(port, (socket, remote) => serveHttp(socket, remote, () => ({ status: 200, body: 'ok' })));
  let unsubscribe = () => {};
  const broken = await new Promise<boolean>((resolve) => {
    if (failure && faults) unsubscribe = faults.onChange(() => faults.has(failure.fault) && resolve(true));
    proc.signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  unsubscribe();
  return broken && failure ? fail(proc, failure) : 0;
};

export const controlPlaneImage: EmulatedImage = {
  id: 'control-plane',
  matches: (image) => COMPONENTS.some((c) => new RegExp(`(^|/)${c}(:|@|$)`).test(image)),
  entrypoint: [],
  cmd: [],
  programs: new Map(COMPONENTS.map((c) => [c, component])),
  pid1Signals: 'go-runtime',
};
