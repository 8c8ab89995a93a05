/**
 * A bare HTTP server on 127.0.0.1 that routes pods/log, exec, attach and portforward to the
 * runtime the way the API server will, so the runtime can be tested with the real
 * @kubernetes/client-node classes (and kubectl) before the real API server exists.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { ExecRequest, SimStore } from '../../contracts.js';
import type { SimContainerRuntime } from '../index.js';

const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(?:\/(log|exec|attach|portforward))?$/;

/** Just enough legacy discovery for kubectl to find pods and their subresources. */
const DISCOVERY: Record<string, unknown> = {
  '/api': {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
  },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
      { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      {
        name: 'pods/portforward',
        singularName: '',
        namespaced: true,
        kind: 'PodPortForwardOptions',
        verbs: ['create', 'get'],
      },
    ],
  },
};

export interface StreamServer {
  kubeConfig: KubeConfig;
  url: string;
  close(): Promise<void>;
}

function notFound(kind: string, name: string) {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind} "${name}" not found`,
    reason: 'NotFound',
    code: 404,
  });
}

export async function startStreamServer(store: SimStore, runtime: SimContainerRuntime): Promise<StreamServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const discovery = DISCOVERY[url.pathname];
    if (discovery) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(discovery));
      return;
    }
    const match = POD_PATH.exec(url.pathname);
    const pod = match ? store.get('pods', match[1], match[2]!) : undefined;
    if (!match || !pod) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(notFound('pods', match?.[2] ?? url.pathname));
      return;
    }
    if (match[3] === 'log')
      return runtime.handleLogs(req, res, pod, url.searchParams.get('container') ?? '', url.searchParams);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(pod));
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const match = POD_PATH.exec(url.pathname);
    const pod = match ? store.get('pods', match[1], match[2]!) : undefined;
    if (!match || !pod) return socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    const q = url.searchParams;
    if (match[3] === 'portforward') {
      const ports = q
        .getAll('ports')
        .flatMap((p) => p.split(','))
        .map(Number);
      return runtime.handlePortForward(req, socket, head, pod, ports);
    }
    const flag = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
    const exec: ExecRequest = {
      namespace: match[1]!,
      pod: match[2]!,
      container: q.get('container') ?? '',
      command: q.getAll('command'),
      stdin: flag('stdin'),
      stdout: flag('stdout'),
      stderr: flag('stderr'),
      tty: flag('tty'),
    };
    runtime.handleExec(req, socket, head, exec);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'sim-token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'tester', namespace: 'default' }],
    currentContext: 'sim',
  });
  return {
    kubeConfig,
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
