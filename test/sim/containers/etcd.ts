/**
 * registry.k8s.io/etcd (kubeadm's static pod): `etcd` runs, `etcdctl` answers from the storage
 * behind the simulation. Distroless: no sh, so `sh -c 'etcdctl ...'` fails like a missing binary.
 */
import { txnSections } from '../storage/etcdctl.js';
import { serveHttp } from './http/server.js';
import type { EmulatedImage, Program } from './types.js';

const etcd: Program = async (proc) => {
  const log = (msg: string) =>
    proc.io.stderr(
      `{"level":"info","ts":"${new Date().toISOString()}","caller":"etcdmain/etcd.go:73","msg":"${msg}"}\n`,
    );
  log('Running: ');
  // --listen-metrics-urls=http://127.0.0.1:2381: /health, /livez, /readyz for the static pod's probes.
  proc.listenTcp(2381, (socket, remote) =>
    serveHttp(socket, remote, () => ({ status: 200, body: '{"health":"true","reason":""}' })),
  );
  log('serving client traffic securely');
  await new Promise<void>((resolve) => proc.signal.addEventListener('abort', () => resolve(), { once: true }));
  return 0;
};

const etcdctl: Program = async (proc) => {
  const args = proc.argv.slice(1);
  // `txn` reads its requests from stdin up to the third blank line, without waiting for EOF.
  const stdin = args.includes('txn')
    ? (await proc.io.readStdin((data) => txnSections(data.toString('utf8')) !== undefined)).toString('utf8')
    : undefined;
  const result = await proc.ctx.etcdctl(args, stdin);
  proc.io.stdout(result.stdout);
  proc.io.stderr(result.stderr);
  return result.exitCode;
};

export const etcdImage: EmulatedImage = {
  id: 'etcd',
  matches: (image) => /(^|\/)etcd(:|@|$)/.test(image),
  entrypoint: ['/usr/local/bin/etcd'],
  cmd: [],
  programs: new Map([
    ['etcd', etcd],
    ['etcdctl', etcdctl],
  ]),
  pid1Signals: 'go-runtime',
};
