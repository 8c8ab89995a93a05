/**
 * registry.k8s.io/coredns/coredns: answers DNS on :53 from the cluster's Services and pods (the
 * kubernetes plugin), health on :8080/health and readiness on :8181/ready. Distroless: nothing
 * to exec.
 */
import { serveHttp } from './http/server.js';
import type { EmulatedImage, Program } from './types.js';

const coredns: Program = async (proc) => {
  const portArg = proc.argv.find((a) => a.startsWith('-dns.port='));
  const port = portArg ? Number(portArg.split('=')[1]) : 53;
  proc.listenDns(port, (question) => proc.ctx.clusterDns(question));
  proc.listenTcp(8080, (socket, remote) => serveHttp(socket, remote, () => ({ status: 200, body: 'OK' })));
  proc.listenTcp(8181, (socket, remote) => serveHttp(socket, remote, () => ({ status: 200, body: 'OK' })));
  proc.io.stdout(
    `.:${port}\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\nCoreDNS-1.11.1\nlinux/amd64, go1.20.7, ae2bbc2\n`,
  );
  await new Promise<void>((resolve) => proc.signal.addEventListener('abort', () => resolve(), { once: true }));
  return 0;
};

export const corednsImage: EmulatedImage = {
  id: 'coredns',
  matches: (image) => /(^|\/)coredns(:|@|$)/.test(image),
  entrypoint: ['/coredns'],
  cmd: [],
  programs: new Map([['coredns', coredns]]),
  pid1Signals: 'go-runtime',
};
