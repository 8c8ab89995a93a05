/**
 * kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy images: one Go binary on
 * a distroless base. The process runs; exec finds no shell or tools.
 */
import { klogLine } from './klog.js';
import type { EmulatedImage, Program } from './types.js';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

const component: Program = async (proc) => {
  proc.io.stderr(klogLine(`Version: v1.32.0`).replace('log.go:245', 'server.go:160'));
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
