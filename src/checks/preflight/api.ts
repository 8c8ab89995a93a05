import { ClusterError, isInconclusive, type ServerVersion } from '../../kube/cluster-access.js';
import type { CheckContext, CheckDefinition, RbacNeed } from '../types.js';

/** What preflight.api learnt, read by the suite to decide what else may run. */
export interface PreflightFindings {
  /** API server answered and accepted our credentials: the other checks may run. */
  usable: boolean;
  serverVersion?: string;
  /** Check id → permissions it needs that we lack, phrased for people. */
  missingByCheck: Map<string, string[]>;
}

export const newFindings = (): PreflightFindings => ({ usable: false, missingByCheck: new Map() });

/** `deployments.apps`, `pods/exec`, `leases.coordination.k8s.io`. */
export function resourceLabel(n: Pick<RbacNeed, 'group' | 'resource' | 'subresource'>): string {
  return `${n.resource}${n.group ? `.${n.group}` : ''}${n.subresource ? `/${n.subresource}` : ''}`;
}

export function describeNeed(n: RbacNeed, runNamespace: string): string {
  const where =
    n.scope === 'cluster' ? 'at the cluster scope' : `in namespace ${n.scope === 'run' ? runNamespace : 'kube-system'}`;
  return `cannot ${n.verb} ${resourceLabel(n)} ${where}`;
}

const needKey = (n: RbacNeed) => `${n.verb} ${n.group}/${n.resource}/${n.subresource ?? ''} ${n.scope}`;

export interface PreflightInput {
  /** The checks planned in this run (their RBAC needs are reviewed). */
  planned: () => readonly CheckDefinition[];
  /** The namespace the run will create (scope `run` is asked about it before it exists). */
  runNamespace: (ctx: CheckContext) => string;
  findings: PreflightFindings;
}

export function preflightApi(input: PreflightInput): CheckDefinition {
  return {
    id: 'preflight.api',
    title: 'The API server answers, accepts the credentials and grants every permission the checks need',
    group: 'preflight',
    component: 'api-server',
    prerequisites: [],
    disruptive: false,
    needsWorkload: false,
    rbac: [{ verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', scope: 'cluster' }],
    deadlineMs: 30_000,
    async run(ctx) {
      const opts = { signal: ctx.signal, timeoutMs: 10_000 };
      let version: ServerVersion;
      try {
        version = await ctx.cluster.version(opts);
      } catch (err) {
        return unusable(err, ctx.cluster.server);
      }
      const ns = input.runNamespace(ctx);
      const planned = input.planned().filter((c) => c.id !== 'preflight.api');
      const unique = new Map<string, RbacNeed>();
      for (const c of planned) for (const n of c.rbac) unique.set(needKey(n), n);
      const denied = new Set<string>();
      const reviewErrors: string[] = [];
      try {
        await Promise.all(
          [...unique.entries()].map(async ([key, n]) => {
            const answer = await ctx.cluster.canI(
              {
                verb: n.verb,
                group: n.group,
                resource: n.resource,
                subresource: n.subresource,
                namespace: n.scope === 'cluster' ? undefined : n.scope === 'run' ? ns : 'kube-system',
              },
              opts,
            );
            if (!answer.allowed) denied.add(key);
          }),
        );
      } catch (err) {
        if (err instanceof ClusterError && (err.kind === 'unauthorized' || err.kind === 'unreachable'))
          return unusable(err, ctx.cluster.server);
        if (!isInconclusive(err) && !(err instanceof ClusterError)) throw err;
        // SelfSubjectAccessReview itself refused: permissions unknown; checks run and report what they meet.
        reviewErrors.push(err.message);
      }
      input.findings.usable = true;
      input.findings.serverVersion = version.gitVersion;
      for (const c of planned) {
        const missing = c.rbac.filter((n) => denied.has(needKey(n))).map((n) => describeNeed(n, ns));
        if (missing.length) input.findings.missingByCheck.set(c.id, [...new Set(missing)]);
      }
      const missing = [...unique.entries()].filter(([k]) => denied.has(k)).map(([, n]) => describeNeed(n, ns));
      const evidence = {
        server: ctx.cluster.server,
        serverVersion: version.gitVersion,
        permissionsReviewed: unique.size,
        missingPermissions: missing,
        checksAffected: Object.fromEntries(input.findings.missingByCheck),
        ...(reviewErrors.length ? { reviewErrors } : {}),
      };
      if (missing.length === 0) {
        return {
          status: 'passed',
          summary: `API server ${version.gitVersion} answered; credentials accepted; ${reviewErrors.length ? 'permissions could not be reviewed' : `all ${unique.size} permissions granted`}`,
          evidence,
        };
      }
      return {
        status: 'error',
        summary: `missing permissions: ${missing.join('; ')}`,
        evidence,
        hint: 'Grant the audit identity the least-privilege RBAC from GET /v1/rbac (kubectl apply -f), then re-run. Checks that need these permissions were not run.',
      };
    },
  };
}

function unusable(err: unknown, server: string) {
  const e = err instanceof ClusterError ? err : undefined;
  const hint =
    e?.kind === 'unauthorized'
      ? 'The API server refused the credentials (401): the token is invalid or expired, or the client certificate is not trusted. Create a fresh token (`kubectl create token <sa>`).'
      : 'The API server could not be reached: check the server URL and port in the kubeconfig, that the API server is running, and the network path from kubeproof.';
  return {
    status: 'error' as const,
    summary: `${e?.kind === 'unauthorized' ? 'credentials refused' : 'API server unreachable'}: ${err instanceof Error ? err.message : String(err)}`,
    evidence: {
      server,
      error: { kind: e?.kind, httpStatus: e?.httpStatus, message: err instanceof Error ? err.message : String(err) },
    },
    hint,
  };
}
