/**
 * Issue 9 item 2 through the official Python client: RBAC objects created with
 * RbacAuthorizationV1Api, a TokenRequest, and that token judged by the RBAC authorizer
 * (requests, SelfSubjectAccessReview with an empty reason on a plain denial, SelfSubjectRulesReview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../index.js';
import { hasPythonClient, runPythonProbe } from './python.test-helper.js';

describe.runIf(hasPythonClient)('RBAC and TokenRequest through the Python client', () => {
  let sim: SimCluster;
  beforeAll(async () => {
    sim = await startSimCluster({ apiOnly: true });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('issues a token the server authenticates and authorizes by the Role bound to it', async () => {
    const seen = await runPythonProbe('rbac_probe.py', sim.kubeconfig);
    expect(seen).toMatchObject({
      audiences: ['https://kubernetes.default.svc.cluster.local'],
      expirationSeconds: 3600,
      listOwn: 200,
      listOther: 403,
      deleteOwn: 403,
      reviewList: {
        allowed: true,
        reason: 'RBAC: allowed by RoleBinding "lister/py" of Role "lister" to ServiceAccount "probe/py"',
      },
      reviewDelete: { allowed: false, reason: null },
      badToken: 401,
    });
    expect(seen.rules).toContainEqual({ verbs: ['list'], apiGroups: [''], resources: ['pods'] });
  });
});
