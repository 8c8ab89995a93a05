/**
 * The kubelet's probers against the emulated containers (pkg/probe/http, pkg/probe/tcp,
 * pkg/probe/exec, and the messages pkg/kubelet/prober/prober.go turns their results into):
 *
 * - httpGet: a GET from the node to `<scheme>://<podIP>:<port><path>` with `User-Agent:
 *   kube-probe/<major>.<minor>` and `Accept: *\/*`; 200–399 succeeds, any other status fails with
 *   `HTTP probe failed with statuscode: <code>`; a refused connection fails with Go's
 *   `Get "<url>": dial tcp <ip>:<port>: connect: connection refused`, a slow answer with
 *   `... context deadline exceeded (Client.Timeout exceeded while awaiting headers)`.
 * - tcpSocket: a connection that is accepted succeeds, else `dial tcp <ip>:<port>: connect:
 *   connection refused`.
 * - exec: the command in the container; exit 0 succeeds, otherwise its output is the message.
 *
 * The request reaches the container's own server, so agnhost netexec logs it like any other
 * (each `GET /hostname`, whoever asked).
 */
import { duplexPair } from 'node:stream';
import { exchange } from '../containers/http/client.js';
import type { KubeObj, ProbeOutcome, ProbeSpec } from '../contracts.js';
import type { ContainerRegistry } from './container-registry.js';
import { containerSpec } from './container-setup.js';

/** The kubelet's version as the prober's User-Agent carries it (the sim plays v1.32 kubelets). */
const KUBE_PROBE_AGENT = 'kube-probe/1.32';

/** A named port (`port: http`) resolves through the container's ports, as the prober does. */
function resolvePort(pod: KubeObj, container: string, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  const named = (containerSpec(pod, container)?.ports ?? []).find((p: { name?: string }) => p.name === port);
  return named?.containerPort;
}

function tcpHandler(registry: ContainerRegistry, pod: KubeObj, port: number) {
  return registry
    .portsOf(pod.metadata.namespace ?? 'default', pod.metadata.name)
    .map((table) => table.tcp.get(port))
    .find((h) => h !== undefined);
}

export async function runProbe(
  registry: ContainerRegistry,
  pod: KubeObj,
  container: string,
  probe: ProbeSpec,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const ip: string = pod.status?.podIP ?? '';
  const hostIp: string = pod.status?.hostIP ?? '';
  if (probe.exec) {
    const instance = registry.find(pod, container)?.current;
    if (!instance?.isRunning) return { success: false, output: 'container not running' };
    let output = '';
    const collect = (d: string | Buffer) => {
      output += d.toString();
    };
    const io = { stdout: collect, stderr: collect, readStdin: async () => Buffer.alloc(0) };
    const result = await instance.runner.run(probe.exec.command ?? [], io, AbortSignal.timeout(timeoutMs));
    if (result.kind === 'not-found') {
      return {
        success: false,
        output: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${result.name}": executable file not found in $PATH: unknown`,
      };
    }
    return { success: result.code === 0, output };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(pod, container, probe.tcpSocket.port);
    const host = probe.tcpSocket.host ?? ip;
    if (port !== undefined && tcpHandler(registry, pod, port)) return { success: true, output: '' };
    return { success: false, output: `dial tcp ${joinHostPort(host, port)}: connect: connection refused` };
  }
  if (probe.httpGet) {
    const port = resolvePort(pod, container, probe.httpGet.port);
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = probe.httpGet.host ?? ip;
    const path = probe.httpGet.path ?? '/';
    const url = `${scheme}://${joinHostPort(host, port)}${path.startsWith('/') ? path : `/${path}`}`;
    const handler = port === undefined ? undefined : tcpHandler(registry, pod, port);
    if (!handler)
      return {
        success: false,
        output: `Get "${url}": dial tcp ${joinHostPort(host, port)}: connect: connection refused`,
      };
    const [client, server] = duplexPair();
    handler(server, { ip: hostIp, port: 30000 + Math.floor(Math.random() * 30000) });
    const headers = [
      `GET ${new URL(url).pathname}${new URL(url).search} HTTP/1.1`,
      `Host: ${joinHostPort(host, port)}`,
      `User-Agent: ${KUBE_PROBE_AGENT}`,
      'Accept: */*',
      ...(probe.httpGet.httpHeaders ?? []).map((h: { name: string; value: string }) => `${h.name}: ${h.value}`),
      'Connection: close',
    ];
    const response = await exchange(client, `${headers.join('\r\n')}\r\n\r\n`, AbortSignal.timeout(timeoutMs));
    client.destroy();
    if (!response) {
      return {
        success: false,
        output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      };
    }
    if (response.status >= 200 && response.status < 400) return { success: true, output: '' };
    return { success: false, output: `HTTP probe failed with statuscode: ${response.status}` };
  }
  // A probe with no handler is refused by validation; treat it as passing, as a defaulted no-op.
  return { success: true, output: '' };
}

/**
 * host:port as Go's net.JoinHostPort writes it (IPv6 literals bracketed), which the kubelet's
 * prober uses for its probe URL and dial address (pkg/probe/http/request.go formatURL,
 * pkg/probe/tcp/tcp.go): an IPv6 pod is probed at `http://[fd00:10:244::5]:8080/`.
 */
function joinHostPort(host: string, port: number | undefined): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
