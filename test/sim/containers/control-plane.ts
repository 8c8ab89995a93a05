/**
 * kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy images: one Go binary on
 * a distroless base. The process runs; exec finds no shell or tools.
 */
import { serveHttp } from './http/server.js';
import { klogLine } from './klog.js';
import type { EmulatedImage, Program } from './types.js';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

/** The port each component serves its health endpoints on (kubeadm's static pod probes, kube-proxy's healthz). */
const HEALTH_PORTS: Record<string, number> = {
  'kube-apiserver': 6443,
  'kube-controller-manager': 10257,
  'kube-scheduler': 10259,
  'kube-proxy': 10256,
};

const component: Program = async (proc) => {
  proc.io.stderr(klogLine(`Version: v1.32.0`).replace('log.go:245', 'server.go:160'));
  // /livez, /readyz, /healthz answer `ok` (the kubelet's liveness probes of the static pods reach them).
  const name = (proc.argv[0] ?? '').split('/').pop() ?? '';
  const port = HEALTH_PORTS[name];
  if (port) proc.listenTcp(port, (socket, remote) => serveHttp(socket, remote, () => ({ status: 200, body: 'ok' })));
  await new Promise<void>((resolve) => proc.signal.addEventListener('abort', () => resolve(), { once: true }));
  return 0;
};

export const controlPlaneImage: EmulatedImage = {
  id: 'control-plane',
  matches: (image) => COMPONENTS.some((c) => new RegExp(`(^|/)${c}(:|@|$)`).test(image)),
  entrypoint: [],
  cmd: [],
  programs: new Map(COMPONENTS.map((c) => [c, component])),
  pid1Signals: 'go-runtime',
};
