/**
 * The kubelet streaming endpoints spoken to by the real @kubernetes/client-node classes
 * (Exec, Attach, Log, PortForward) through a bare HTTP server that routes like the API server.
 */
import { PassThrough, Writable } from 'node:stream';
import { Attach, Exec, Log, PortForward, type V1Status } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KubeObj } from '../contracts.js';
import { createSmokeCluster, type SmokeCluster } from './test-support/smoke-cluster.js';
import { type StreamServer, startStreamServer } from './test-support/stream-server.js';

const WEB = 'web-578474b6fc-8rsb8';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    this.emit('text');
    done();
  }
  /** Resolves once what was written contains `expected`. */
  waitFor(expected: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.text.includes(expected)) return;
        this.off('text', check);
        resolve();
      };
      this.on('text', check);
      check();
    });
  }
}

describe('kubelet streaming endpoints', () => {
  let cluster: SmokeCluster;
  let server: StreamServer;

  beforeEach(async () => {
    cluster = createSmokeCluster();
    server = await startStreamServer(cluster.store, cluster.runtime);
  });
  afterEach(async () => {
    await server.close();
    cluster.dispose();
  });

  async function exec(pod: string, container: string, command: string[], stdin?: string) {
    const stdout = new Collector();
    const stderr = new Collector();
    const input = stdin === undefined ? null : PassThrough.from([stdin]);
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(server.kubeConfig)
        .exec('default', pod, container, command, stdout, stderr, input, false, resolve)
        .catch(reject);
    });
    return { stdout: stdout.text, stderr: stderr.text, status };
  }

  /** The raw HTTP answer to a WebSocket upgrade the server refuses. */
  function refusedUpgrade(path: string): Promise<{ code: number; body: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, [
        'v5.channel.k8s.io',
        'v4.channel.k8s.io',
      ]);
      ws.on('open', () => reject(new Error('upgrade unexpectedly succeeded')));
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      ws.on('error', () => undefined);
    });
  }

  /** Raw frames of an exec over one named subprotocol, until the server closes. */
  function rawExec(protocol: string, query: string): Promise<{ protocol: string; frames: Array<string | Buffer> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(
        `${server.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/client/exec?${query}`,
        [protocol],
      );
      const frames: Array<string | Buffer> = [];
      ws.on('message', (data: Buffer, isBinary: boolean) => frames.push(isBinary ? data : data.toString()));
      ws.on('close', () => resolve({ protocol: ws.protocol, frames }));
      ws.on('error', reject);
    });
  }

  it('speaks v4.channel.k8s.io with binary frames and a JSON status', async () => {
    const { protocol, frames } = await rawExec(
      'v4.channel.k8s.io',
      'command=sh&command=-c&command=echo%20hi%3B%20exit%201&stdout=true',
    );
    expect(protocol).toBe('v4.channel.k8s.io');
    expect(frames.map((f) => [(f as Buffer)[0], (f as Buffer).subarray(1).toString()])).toEqual([
      [1, 'hi\n'],
      [
        3,
        JSON.stringify({
          metadata: {},
          status: 'Failure',
          message:
            'command terminated with non-zero exit code: error executing command [sh -c echo hi; exit 1], exit code 1',
          reason: 'NonZeroExitCode',
          details: { causes: [{ reason: 'ExitCode', message: '1' }] },
        }),
      ],
    ]);
  });

  it('speaks base64.channel.k8s.io with text frames and the bare error message', async () => {
    const { frames } = await rawExec('base64.channel.k8s.io', 'command=nosuch&stdout=true');
    expect(frames).toHaveLength(1);
    const frame = frames[0] as string;
    expect(frame[0]).toBe('3');
    expect(Buffer.from(frame.slice(1), 'base64').toString()).toMatch(
      /^Internal error occurred: error executing command in container: .*exec: "nosuch": executable file not found in \$PATH: unknown$/,
    );
  });

  it('runs hostname in a web pod and reports Success on the status channel (v5)', async () => {
    const out = await exec(WEB, 'web', ['hostname']);
    expect(out, JSON.stringify(out)).toEqual({
      stdout: `${WEB}\n`,
      stderr: '',
      status: { metadata: {}, status: 'Success' },
    });
  });

  it('reports a non-zero exit as the API server does', async () => {
    const out = await exec('client', 'client', ['sh', '-c', 'echo oops >&2; exit 3']);
    expect(out.stderr).toBe('oops\n');
    expect(out.status).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('fails a missing binary the way containerd does', async () => {
    const out = await exec('client', 'client', ['curl', 'http://web']);
    expect(out.status).toMatchObject({ status: 'Failure', reason: 'InternalError', code: 500 });
    expect(out.status.message).toMatch(
      /^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in \$PATH: unknown$/,
    );
  });

  it('feeds stdin and ends it with the v5 close signal', async () => {
    const out = await exec('client', 'client', ['cat'], 'hello from stdin');
    expect(out.stdout).toBe('hello from stdin');
    expect(out.status.status).toBe('Success');
  });

  it('runs etcdctl in the etcd static pod, which has no shell', async () => {
    cluster.runPod({
      namespace: 'default',
      name: 'etcd-controlplane',
      node: 'worker-0',
      ip: '10.240.0.10',
      containers: [
        { name: 'etcd', image: 'registry.k8s.io/etcd:3.5.16-0', command: ['etcd', '--data-dir=/var/lib/etcd'] },
      ],
    });
    expect((await exec('etcd-controlplane', 'etcd', ['etcdctl', 'get', '/registry/secrets/a/b'])).stdout).toBe(
      'etcdctl get /registry/secrets/a/b\n',
    );
    expect((await exec('etcd-controlplane', 'etcd', ['sh', '-c', 'etcdctl get x'])).status.message).toContain(
      'exec: "sh": executable file not found in $PATH',
    );
  });

  it('serves logs with tailLines and timestamps, after the requests the pod answered', async () => {
    await cluster.client(['wget', '-qO-', 'http://10.200.0.6:8080/hostname']);
    const out = new Collector();
    await new Log(server.kubeConfig).log('default', WEB, 'web', out, { tailLines: 2, timestamps: true });
    await new Promise((resolve) => out.on('finish', resolve));
    const lines = out.text.split('\n').filter(Boolean);
    expect(lines, out.text).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 log\.go:245\] GET \/hostname$/,
    );
    expect(lines[1]).toMatch(new RegExp(`log\\.go:245\\] hostname: ${WEB}$`));
  });

  it('follows logs until the client stops reading', async () => {
    const out = new Collector();
    const controller = await new Log(server.kubeConfig).log('default', WEB, 'web', out, { follow: true, tailLines: 0 });
    await cluster.client(['wget', '-qO-', 'http://10.200.0.6:8080/hostname']);
    await out.waitFor(`hostname: ${WEB}`);
    controller.abort();
    expect(out.text).toContain('GET /hostname');
  });

  it('answers 400 for a container that has not started, and for an ambiguous container', async () => {
    const waiting: KubeObj = cluster.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pending', namespace: 'default' },
      spec: {
        nodeName: 'worker-0',
        containers: [
          { name: 'a', image: 'busybox:1.36' },
          { name: 'b', image: 'busybox:1.36' },
        ],
      },
      status: {
        phase: 'Pending',
        containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }],
      },
    });
    const get = async (query: string) => {
      const res = await fetch(`${server.url}/api/v1/namespaces/default/pods/${waiting.metadata.name}/log?${query}`);
      return { code: res.status, body: (await res.json()) as { message?: string } };
    };
    expect(await get('container=a')).toEqual({
      code: 400,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'container "a" in pod "pending" is waiting to start: ContainerCreating',
        reason: 'BadRequest',
        code: 400,
      },
    });
    expect((await get('')).body.message).toBe(
      'a container name must be specified for pod pending, choose one of: [a b]',
    );
  });

  it('serves previous=true from the container before a restart', async () => {
    const pod = cluster.store.get('pods', 'default', WEB)!;
    await cluster.client(['wget', '-qO-', 'http://10.200.0.6:8080/hostname']);
    cluster.runtime.startContainer(pod, 'web'); // the kubelet restarts it
    const res = await fetch(`${server.url}/api/v1/namespaces/default/pods/${WEB}/log?container=web&previous=true`);
    expect(await res.text()).toContain('GET /hostname');
    const current = await (await fetch(`${server.url}/api/v1/namespaces/default/pods/${WEB}/log?container=web`)).text();
    expect(current).not.toContain('GET /hostname');
  });

  it('forwards a port to the pod: GET /hostname answers the pod name', async () => {
    const output = new Collector();
    const input = new PassThrough();
    const ws = (await new PortForward(server.kubeConfig).portForward(
      'default',
      WEB,
      [8080],
      output,
      null,
      input,
    )) as WebSocket;
    input.write('GET /hostname HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => ws.on('close', resolve));
    expect(output.text, output.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(output.text.endsWith(`\r\n\r\n${WEB}`), output.text).toBe(true);
  });

  it('reports on the error channel a forwarded port nothing listens on', async () => {
    const errors = new Collector();
    const input = new PassThrough();
    const ws = (await new PortForward(server.kubeConfig).portForward(
      'default',
      WEB,
      [9999],
      new Collector(),
      errors,
      input,
    )) as WebSocket;
    await new Promise((resolve) => ws.on('close', resolve));
    expect(errors.text).toMatch(
      /^error forwarding port 9999 to pod .*dial tcp4 127\.0\.0\.1:9999: connect: connection refused/,
    );
  });

  it("attaches to a container's main process output", async () => {
    const pod = cluster.runPod({
      name: 'ticker',
      node: 'worker-0',
      ip: '10.200.0.40',
      containers: [
        { name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do echo tick; sleep 0.02; done'] },
      ],
    });
    const out = new Collector();
    const ws = (await new Attach(server.kubeConfig).attach(
      'default',
      pod.metadata.name,
      'main',
      out,
      null,
      null,
      false,
    )) as WebSocket;
    await out.waitFor('tick\ntick\n');
    ws.close();
  });

  describe('with kubelet-rbac-denied', () => {
    beforeEach(() => cluster.faults.enable('kubelet-rbac-denied'));

    it('refuses logs with the kubelet Forbidden Status', async () => {
      const res = await fetch(`${server.url}/api/v1/namespaces/default/pods/${WEB}/log?container=web`);
      expect({ code: res.status, body: await res.text() }).toEqual({
        code: 403,
        body: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log ${WEB})","reason":"Forbidden","details":{"name":"${WEB}","kind":"pods/log"},"code":403}`,
      });
    });

    it('fails exec and port-forward upgrades with an InternalError', async () => {
      const expected = {
        code: 500,
        body: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)","reason":"InternalError","details":{"causes":[{"message":"unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)"}]},"code":500}',
      };
      expect(await refusedUpgrade(`/api/v1/namespaces/default/pods/${WEB}/exec?command=hostname&stdout=true`)).toEqual(
        expected,
      );
      expect(await refusedUpgrade(`/api/v1/namespaces/default/pods/${WEB}/portforward?ports=8080`)).toEqual(expected);
      await expect(exec(WEB, 'web', ['hostname'])).rejects.toThrow();
    });
  });
});
