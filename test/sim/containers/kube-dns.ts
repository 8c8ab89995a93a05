/**
 * GKE's kube-dns pod (kubernetes/dns: k8s-dns-kube-dns, k8s-dns-dnsmasq-nanny, k8s-dns-sidecar):
 * `kubedns` answers the cluster zone on :10053 with health on :8081; `dnsmasq` (under the nanny)
 * listens on :53 and forwards the cluster zone to kubedns — seen from a client, the same answers
 * as CoreDNS's kubernetes plugin; `sidecar` serves probe metrics on :10054. Nothing to exec.
 */
import { serveHttp } from './http/server.js';
import type { EmulatedImage, Program } from './types.js';

const idle = (proc: Parameters<Program>[0]) =>
  new Promise<number>((resolve) => proc.signal.addEventListener('abort', () => resolve(0), { once: true }));

const ok = () => ({ status: 200, body: 'ok' });

const kubedns: Program = async (proc) => {
  proc.listenDns(10053, (question) => proc.ctx.clusterDns(question));
  proc.listenTcp(8081, (socket, remote) => serveHttp(socket, remote, ok));
  proc.io.stderr(
    'I1201 09:00:00.000000       1 dns.go:228] Waiting for [endpoints services] to be initialized from apiserver...\n',
  );
  return idle(proc);
};

const dnsmasqNanny: Program = async (proc) => {
  proc.listenDns(53, (question) => proc.ctx.clusterDns(question));
  proc.io.stderr('I1201 09:00:00.000000       1 nanny.go:146] dnsmasq[9]: started, version 2.90 cachesize 1000\n');
  return idle(proc);
};

const sidecar: Program = async (proc) => {
  proc.listenTcp(10054, (socket, remote) => serveHttp(socket, remote, ok));
  return idle(proc);
};

const image = (id: string, name: string, entry: string, program: Program): EmulatedImage => ({
  id,
  matches: (ref) => new RegExp(`(^|/)${name}(:|@|$)`).test(ref),
  entrypoint: [`/${entry}`],
  cmd: [],
  programs: new Map([[entry, program]]),
  pid1Signals: 'go-runtime',
});

export const kubeDnsImages: readonly EmulatedImage[] = [
  image('kube-dns', 'k8s-dns-kube-dns', 'kube-dns', kubedns),
  image('dnsmasq-nanny', 'k8s-dns-dnsmasq-nanny', 'dnsmasq-nanny', dnsmasqNanny),
  image('dns-sidecar', 'k8s-dns-sidecar', 'sidecar', sidecar),
];
