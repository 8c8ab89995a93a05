/**
 * Starts a real etcd (/usr/bin/etcd) for tests: loopback only, random ports, TLS with
 * client-certificate authentication, in its own temp dir. `stop()` always kills it and
 * removes the dir; a process-exit hook covers a crashed test run.
 *
 * @example
 * const etcd = await startEtcd({ tls: true });
 * try { ...etcd.endpoints, etcd.caPem, etcd.certPem, etcd.keyPem... } finally { await etcd.stop(); }
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthority } from './storage/pki.js';

export interface EtcdHandle {
  endpoints: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Files of the same material, for running the real /usr/bin/etcdctl against it. */
  files: { ca: string; cert: string; key: string; dataDir: string };
  stop(): Promise<void>;
}

export const ETCD_BINARY = process.env.KUBEPROOF_ETCD_BINARY ?? '/usr/bin/etcd';
const START_DEADLINE_MS = 20_000;
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port free on 127.0.0.1 right now (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when etcd logs that it serves clients; rejects with its log tail if it exits first. */
function waitUntilServing(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => fail(new Error(`etcd not ready within ${START_DEADLINE_MS} ms:\n${log.slice(-2000)}`)),
      START_DEADLINE_MS,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      // 3.4 logs the first after publishing itself (leader elected); older/newer builds the second.
      if (log.includes('serving client traffic securely') || log.includes('ready to serve client requests')) finish();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`etcd exited with ${code} before serving:\n${log.slice(-2000)}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const finish = () => {
      cleanup();
      child.stderr?.resume(); // keep draining so etcd never blocks on a full pipe
      resolve();
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startEtcd(options: { tls: true }): Promise<EtcdHandle> {
  void options; // plain-HTTP etcd is not offered: every test etcd authenticates clients by certificate
  const dir = await mkdtemp(join(tmpdir(), 'kubeproof-etcd-'));
  try {
    const ca = await createAuthority('etcd-ca');
    const server = await ca.issue({ commonName: 'kube-etcd', usage: 'server', ipAddresses: ['127.0.0.1'] });
    const client = await ca.issue({ commonName: 'kube-apiserver-etcd-client', usage: 'client' });
    const files = {
      ca: join(dir, 'ca.crt'),
      cert: join(dir, 'client.crt'),
      key: join(dir, 'client.key'),
      dataDir: join(dir, 'data'),
    };
    await Promise.all([
      writeFile(files.ca, ca.certPem),
      writeFile(join(dir, 'server.crt'), server.certPem),
      writeFile(join(dir, 'server.key'), server.keyPem, { mode: 0o600 }),
      writeFile(files.cert, client.certPem),
      writeFile(files.key, client.keyPem, { mode: 0o600 }),
    ]);
    const child = await spawnServing(dir, files);
    const endpoint = child.endpoint;
    return {
      endpoints: [endpoint],
      caPem: ca.certPem,
      certPem: client.certPem,
      keyPem: client.keyPem,
      files,
      stop: async () => {
        running.delete(child.process);
        await killAndWait(child.process);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Picks ports, starts etcd; a port taken between probe and bind gets one more try. */
async function spawnServing(
  dir: string,
  files: EtcdHandle['files'],
): Promise<{ process: ChildProcess; endpoint: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const endpoint = `https://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const child = spawn(
      ETCD_BINARY,
      [
        '--name=kubeproof-test',
        `--data-dir=${files.dataDir}`,
        `--listen-client-urls=${endpoint}`,
        `--advertise-client-urls=${endpoint}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=kubeproof-test=${peer}`,
        `--cert-file=${join(dir, 'server.crt')}`,
        `--key-file=${join(dir, 'server.key')}`,
        `--trusted-ca-file=${files.ca}`,
        '--client-cert-auth=true',
        '--logger=zap',
        '--log-outputs=stderr',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch },
      },
    );
    running.add(child);
    try {
      await waitUntilServing(child);
      return { process: child, endpoint };
    } catch (error) {
      lastError = error;
      running.delete(child);
      await killAndWait(child);
      await rm(files.dataDir, { recursive: true, force: true });
    }
  }
  throw lastError;
}
