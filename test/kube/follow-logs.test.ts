/**
 * ClusterAccess.followLogs against a stand-in API server on 127.0.0.1: one `follow=true`
 * request, lines handed over as they come, and the connection always closed — when the reader
 * is done, when the stream passes kubeproof's logs cap, when the call's signal aborts — and an
 * error answer turned into a ClusterError without echoing its body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import { DEFAULT_LIMITS } from '../../src/kube/cluster/limits.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { failureOf } from '../security/support/failure-of.js';
import { type HostileServer, startHostileServer } from '../security/support/hostile-server.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const REQ = { namespace: 'n', pod: 'p', container: 'web', tailLines: 1, timestamps: true };
const LINE = (n: number) => `2026-12-01T17:00:0${n}.5Z I1201 17:00:0${n}.5 1 log.go:245] GET /hostname`;

/** A server whose handler gets each request; resolves `closed` when the client has gone. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  let closed!: () => void;
  const gone = new Promise<void>((resolve) => {
    closed = resolve;
  });
  server = await startHostileServer((req, res) => {
    res.on('close', closed);
    handler(req, res);
  });
  const kc = kubeconfigYaml({ server: server.url, cluster: { 'certificate-authority-data': server.caData } });
  return { cluster: createClusterAccess(sanitizeKubeconfig(kc).kubeconfig), gone };
}

describe('followLogs', () => {
  it('hands over the tail, then each line as it is written, in one request closed when the reader is done', async () => {
    let write: ((line: string) => void) | undefined;
    const { cluster, gone } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`${LINE(0)}\n`);
      write = (line) => res.write(`${line}\n`);
    });
    const far = () => Date.now() + 20_000;
    const seen = await cluster.followLogs(
      REQ,
      async (stream) => {
        const lines = [await stream.nextLine(far())];
        // Written only once the first line arrived: a follow stream, not a finished body.
        write?.(LINE(1));
        lines.push(await stream.nextLine(far()));
        return lines;
      },
      { timeoutMs: 20_000 },
    );
    expect(seen).toEqual([LINE(0), LINE(1)]);
    await gone; // the server saw the client leave: no socket left open
    expect(server?.requests).toEqual([
      'GET /api/v1/namespaces/n/pods/p/log?container=web&tailLines=1&timestamps=true&follow=true&limitBytes=1048577',
    ]);
    cluster.close();
  });

  it('gives undefined at the deadline while the stream stays silent, and at its end', async () => {
    let end: (() => void) | undefined;
    const { cluster, gone } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`${LINE(0)}\n`);
      end = () => res.end(`${LINE(2)}\n`);
    });
    const seen = await cluster.followLogs(
      REQ,
      async (stream) => {
        const lines = [await stream.nextLine(Date.now() + 20_000), await stream.nextLine(Date.now())];
        end?.(); // the container stopped: the kubelet sends what is left and ends the stream
        lines.push(await stream.nextLine(Date.now() + 20_000), await stream.nextLine(Date.now() + 20_000));
        return lines;
      },
      { timeoutMs: 20_000 },
    );
    expect(seen).toEqual([LINE(0), undefined, LINE(2), undefined]);
    await gone;
    cluster.close();
  });

  it('ends a stream past the logs cap with too-large, and closes it', async () => {
    const { cluster, gone } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const line = Buffer.from(`${LINE(0)}\n`.repeat(1000));
      const pump = () => {
        while (!res.destroyed) if (!res.write(line)) return void res.once('drain', pump);
      };
      pump();
    });
    const err = await failureOf(
      cluster.followLogs(
        REQ,
        async (stream) => {
          while ((await stream.nextLine(Date.now() + 20_000)) !== undefined);
        },
        { timeoutMs: 20_000 },
      ),
    );
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain(String(DEFAULT_LIMITS.logBytes));
    await gone;
    cluster.close();
  });

  it('ends with the call when its signal aborts, and closes the stream', async () => {
    const { cluster, gone } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`${LINE(0)}\n`);
    });
    const controller = new AbortController();
    const err = await failureOf(
      cluster.followLogs(
        REQ,
        async (stream) => {
          await stream.nextLine(Date.now() + 20_000);
          controller.abort();
          await stream.nextLine(Date.now() + 20_000);
        },
        { signal: controller.signal, timeoutMs: 20_000 },
      ),
    );
    expect(err.kind).toBe('aborted');
    await gone;
    cluster.close();
  });

  it('turns a refusal into a ClusterError: the Status message kept, an error page never echoed', async () => {
    const SECRET = 'INTERNAL-SECRET: db_password=hunter2';
    let page = false;
    const { cluster } = await serve((_req, res) => {
      if (page) {
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end(`<html>${SECRET}</html>`);
      }
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: 'Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy)',
        }),
      );
    });
    const read = () => cluster.followLogs(REQ, (stream) => stream.nextLine(Date.now() + 20_000), { timeoutMs: 20_000 });
    const refused = await failureOf(read());
    expect(refused.httpStatus).toBe(403);
    expect(refused.message).toContain('subresource=proxy');
    page = true;
    const foreign = await failureOf(read());
    expect(foreign.message).not.toContain('hunter2');
    cluster.close();
  });
});
