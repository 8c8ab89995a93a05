import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from './index.js';
import { rawRequest, withFault } from './sim-http.test-helper.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true, user: 'kubeproof' });
  await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'app' } } });
});
afterAll(async () => {
  await sim.stop();
});

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('authorization faults', () => {
  it('denies exactly the verb and resource of rbac-missing with the real namespaced 403 body', async () => {
    await withFault(sim, 'rbac-missing:list:pods', async () => {
      const denied = await rawRequest(sim, 'GET', '/api/v1/namespaces/app/pods');
      expect(denied.status, denied.text).toBe(403);
      expect(denied.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'pods is forbidden: User "kubeproof" cannot list resource "pods" in API group "" in the namespace "app"',
        reason: 'Forbidden',
        details: { kind: 'pods' },
        code: 403,
      });
      const other = await rawRequest(sim, 'GET', '/api/v1/namespaces/app/configmaps');
      expect(other.status, other.text).toBe(200);
    });
  });

  it('uses the cluster-scope form and the API group for cluster resources', async () => {
    await withFault(sim, 'rbac-missing:list:nodes', async () => {
      const denied = await rawRequest(sim, 'GET', '/api/v1/nodes');
      expect(denied.json().message).toBe(
        'nodes is forbidden: User "kubeproof" cannot list resource "nodes" in API group "" at the cluster scope',
      );
    });
    await withFault(sim, 'rbac-missing:create:deployments.apps', async () => {
      const denied = await rawRequest(sim, 'POST', '/apis/apps/v1/namespaces/app/deployments', {
        body: { metadata: { name: 'd' } },
      });
      expect(denied.json().message).toBe(
        'deployments.apps is forbidden: User "kubeproof" cannot create resource "deployments" in API group "apps" in the namespace "app"',
      );
      expect(denied.json().details).toEqual({ group: 'apps', kind: 'deployments' });
    });
  });

  it('names the subresource for pods/exec and answers SelfSubjectAccessReview with allowed=false', async () => {
    await withFault(sim, 'rbac-missing:create:pods/exec', async () => {
      const exec = await rawRequest(sim, 'POST', '/api/v1/namespaces/app/pods/client/exec?command=hostname');
      expect(exec.json().message, exec.text).toBe(
        'pods "client" is forbidden: User "kubeproof" cannot create resource "pods/exec" in API group "" in the namespace "app"',
      );
      const review = await rawRequest(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: 'app', verb: 'create', resource: 'pods', subresource: 'exec' } },
        },
      });
      expect(review.status, review.text).toBe(201);
      expect(review.json().status.allowed).toBe(false);
      // RBAC gives no reason for a plain denial (plugin/pkg/auth/authorizer/rbac/rbac.go).
      expect(review.json().status.reason).toBeUndefined();
      const allowed = await rawRequest(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        body: { spec: { resourceAttributes: { namespace: 'app', verb: 'get', resource: 'pods' } } },
      });
      expect(allowed.json().status.allowed, allowed.text).toBe(true);
    });
  });

  it('answers every request with 401 while token-invalid is on, health included', async () => {
    await withFault(sim, 'token-invalid', async () => {
      for (const path of ['/api/v1/namespaces', '/version']) {
        const res = await rawRequest(sim, 'GET', path);
        expect(res.status, `${path}: ${res.text}`).toBe(401);
      }
    });
    expect((await rawRequest(sim, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('keeps the control endpoint usable with the real token while token-invalid is on', async () => {
    sim.faults.enable('token-invalid');
    const off = await rawRequest(sim, 'POST', '/__sim/faults', { body: { disable: 'token-invalid' } });
    expect(off.status, off.text).toBe(200);
    expect(sim.faults.has('token-invalid')).toBe(false);
  });

  it('refuses connections while apiserver-unreachable is on and serves again on the same port after', async () => {
    sim.faults.enable('apiserver-unreachable');
    await sim.settled();
    expect(await connectionRefused(sim.port)).toBe(true);
    const control = { ...sim, url: sim.controlUrl };
    const listed = await rawRequest(control, 'GET', '/__sim/faults');
    expect(listed.json(), listed.text).toEqual({ faults: ['apiserver-unreachable'] });
    const lifted = await rawRequest(control, 'POST', '/__sim/faults', { body: { disable: 'apiserver-unreachable' } });
    expect(lifted.json()).toEqual({ faults: [] });
    await sim.settled();
    const res = await rawRequest(sim, 'GET', '/api/v1/namespaces');
    expect(res.status, res.text).toBe(200);
  });
});

describe('admission', () => {
  it('refuses a pod when the namespace has no default ServiceAccount, as with controller-manager down', async () => {
    const res = await rawRequest(sim, 'POST', '/api/v1/namespaces/app/pods', {
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    });
    expect(res.status, res.text).toBe(403);
    expect(res.json().message).toBe(
      'pods "p" is forbidden: error looking up service account app/default: serviceaccount "default" not found',
    );
  });

  it('refuses new content in a terminating namespace', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'leaving' } } });
    const deleted = await rawRequest(sim, 'DELETE', '/api/v1/namespaces/leaving');
    expect(deleted.json().status.phase, deleted.text).toBe('Terminating');
    const res = await rawRequest(sim, 'POST', '/api/v1/namespaces/leaving/configmaps', {
      body: { metadata: { name: 'late' } },
    });
    expect(res.status, res.text).toBe(403);
    expect(res.json().message).toBe(
      'configmaps "late" is forbidden: unable to create new content in namespace leaving because it is being terminated',
    );
  });

  it('creates a pod once the ServiceAccount exists, with defaults and the token volume', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces/app/serviceaccounts', {
      body: { metadata: { name: 'default' } },
    });
    const res = await rawRequest(sim, 'POST', '/api/v1/namespaces/app/pods', {
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    });
    expect(res.status, res.text).toBe(201);
    const pod = res.json();
    expect(pod.spec.volumes[0].name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(pod.spec.tolerations).toHaveLength(2);
  });
});

describe('dry run', () => {
  it('answers a dryRun=All create and delete as if done, and stores nothing', async () => {
    const created = await rawRequest(sim, 'POST', '/api/v1/namespaces/app/services?dryRun=All', {
      body: { metadata: { name: 'ghost' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.clusterIP, created.text).toMatch(/^10\./);
    expect((await rawRequest(sim, 'GET', '/api/v1/namespaces/app/services/ghost')).status).toBe(404);
    await rawRequest(sim, 'POST', '/api/v1/namespaces/app/configmaps', { body: { metadata: { name: 'kept' } } });
    const deleted = await rawRequest(sim, 'DELETE', '/api/v1/namespaces/app/configmaps/kept?dryRun=All');
    expect(deleted.status, deleted.text).toBe(200);
    expect((await rawRequest(sim, 'GET', '/api/v1/namespaces/app/configmaps/kept')).status).toBe(200);
  });
});

describe('control endpoint', () => {
  it('toggles faults by spec, rejects unknown names with the list of known ones, and reports accounting', async () => {
    const on = await rawRequest(sim, 'POST', '/__sim/faults', { body: { enable: 'node-notready:worker-1' } });
    expect(on.json(), on.text).toEqual({ faults: ['node-notready:worker-1'] });
    expect(sim.faults.args('node-notready')).toEqual(['worker-1']);
    const off = await rawRequest(sim, 'POST', '/__sim/faults', { body: { disable: 'node-notready:worker-1' } });
    expect(off.json().faults).toEqual([]);
    const bad = await rawRequest(sim, 'POST', '/__sim/faults', { body: { enable: 'dns-broken' } });
    expect(bad.status).toBe(400);
    expect(bad.json().message).toMatch(
      /unknown fault "dns-broken"; known faults: scheduler-down, .*rbac-missing:<verb>:<resource>/,
    );
    const accounting = await rawRequest(sim, 'GET', '/__sim/accounting');
    expect(accounting.json()).toMatchObject({
      total: expect.any(Number),
      watchesOpened: expect.any(Number),
      requests: expect.any(Object),
    });
    expect((await rawRequest(sim, 'GET', '/__sim/faults', { token: 'nope' })).status).toBe(401);
  });
});
