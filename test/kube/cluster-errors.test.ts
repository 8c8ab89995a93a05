import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../src/kube/cluster/errors.js';
import { HttpResponseReader } from '../../src/kube/cluster/http-response.js';

const status = (message: string, code: number, reason: string) =>
  JSON.stringify({ kind: 'Status', status: 'Failure', message, reason, code });

describe('ClusterError classification', () => {
  it("treats an RBAC 403 for kubeproof's own user as forbidden", () => {
    const err = errorFromResponse(
      403,
      status(
        'pods "x" is forbidden: User "kubeproof" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
        403,
        'Forbidden',
      ),
    );
    expect(err.kind).toBe('forbidden');
  });

  it('treats the kubelet refusing the API server as a cluster observation, in both message forms', () => {
    for (const m of [
      'Forbidden (user=kube-apiserver, verb=get, resource=nodes, subresource=proxy) ( pods/log web-1)',
      'Forbidden (user=kube-apiserver, verb=create, resource=nodes, subresource(s)=[proxy])',
      'unable to upgrade connection: Forbidden (user=kubernetes, verb=create, resource=nodes, subresource=proxy)',
    ]) {
      expect(errorFromResponse(403, status(m, 403, 'Forbidden')).kind, m).toBe('server');
    }
  });

  it('treats a missing ServiceAccount (controller-manager down) as a cluster observation', () => {
    const m =
      'pods "client" is forbidden: error looking up service account ns/default: serviceaccount "default" not found';
    expect(errorFromResponse(403, status(m, 403, 'Forbidden')).kind).toBe('server');
  });

  it('maps 401, 404, 409, 422 and keeps the Status message', () => {
    expect(errorFromResponse(401, status('Unauthorized', 401, 'Unauthorized'))).toMatchObject({
      kind: 'unauthorized',
      message: 'Unauthorized',
    });
    expect(errorFromResponse(404, '').kind).toBe('not-found');
    expect(errorFromResponse(409, '').kind).toBe('conflict');
    expect(errorFromResponse(422, '').kind).toBe('invalid');
  });
});

describe('HTTP response reader (port-forward tunnel)', () => {
  it('completes on Content-Length even when bytes arrive split', () => {
    const r = new HttpResponseReader();
    r.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nwe'));
    expect(r.complete()).toBe(false);
    r.push(Buffer.from('b-1'));
    expect(r.complete()).toBe(true);
    expect(r.answer()).toMatchObject({ status: 200, body: 'web-1' });
  });

  it('decodes a chunked body', () => {
    const r = new HttpResponseReader();
    r.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nweb\r\n2\r\n-1\r\n0\r\n\r\n'));
    expect(r.complete()).toBe(true);
    expect(r.answer()?.body).toBe('web-1');
  });
});
