import type { RbacNeed } from '../../kernel/catalog.js';
import { messageOf } from '../../kernel/text.js';
import { ClusterError, type ServerVersion } from '../../kube/cluster-access.js';
import { distinctPermissions, permissionKey, permissionsOf } from '../../rbac/permission.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.js';
import { describeNeed, describeOptionalNeed } from './needs.js';
import { reviewPermissions } from './review.js';

export { describeNeed } from './needs.js';

/** The check every plan starts with: every other check depends on it (see the registry test). */
export const PREFLIGHT_ID = 'preflight.api';

/** What preflight.api learnt: the engine's permission step decides from it what else may run. */
export interface PreflightFindings {
  /** API server answered and accepted our credentials: the other checks may run. */
  usable: boolean;
  serverVersion?: string;
  /** Check id → required permissions it lacks, phrased for people: the check is not run. */
  missingByCheck: Map<string, string[]>;
  /** Check id → optional permissions it lacks: the check runs, with weaker evidence. */
  optionalMissingByCheck: Map<string, string[]>;
}

/** Findings before preflight.api has run: nothing usable, nothing missing. */
export const newFindings = (): PreflightFindings => ({
  usable: false,
  missingByCheck: new Map(),
  optionalMissingByCheck: new Map(),
});

/** What the review is about, and who hears what it found (the engine's permission step). */
export interface PreflightInput {
  /** The checks planned in this run (their RBAC needs are reviewed). */
  planned: () => readonly CheckDefinition[];
  /** The namespace the run will create (scope `run` is asked about it before it exists). */
  runNamespace: () => string;
  /**
   * Told once what the review found, however the check ends (a deadline or cancellation gives
   * findings with nothing usable).
   */
  reviewed: (findings: PreflightFindings) => void;
  /**
   * Told when the API server answered and accepted the credentials, before the permissions are
   * reviewed: what may overlap with the review starts now (the namespace sweep).
   */
  usable?: () => void;
}

/**
 * The wiring of a check set that is described, not run (the catalog, a plan's time budget):
 * nobody hears its review.
 */
export const describedOnly = (planned: () => readonly CheckDefinition[]): PreflightInput => ({
  planned,
  runNamespace: () => 'kubeproof-<run>',
  reviewed: () => {},
});

/** Check id → phrases for its denied needs of one kind (required or optional). */
function missingPerCheck(
  planned: readonly CheckDefinition[],
  denied: Set<string>,
  describe: (n: RbacNeed) => string,
  optional: boolean,
): Map<string, string[]> {
  const byCheck = new Map<string, string[]>();
  for (const c of planned) {
    const missing = c.rbac
      .filter((n) => (n.optional === true) === optional && denied.has(permissionKey(n)))
      .map(describe);
    if (missing.length) byCheck.set(c.id, [...new Set(missing)]);
  }
  return byCheck;
}

const union = (byCheck: Map<string, string[]>) => [...new Set([...byCheck.values()].flat())];

/** The `preflight.api` check: API reachable, credentials accepted, every planned check's permissions reviewed. */
export function preflightApi(input: PreflightInput): CheckDefinition {
  return {
    id: PREFLIGHT_ID,
    title: 'The API server answers, accepts the credentials and grants every permission the checks need',
    group: 'preflight',
    component: 'api-server',
    prerequisites: [],
    disruptive: false,
    needsWorkload: false,
    rbac: [
      { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews', scope: 'cluster' },
      { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', scope: 'cluster' },
    ],
    deadlineMs: 30_000,
    async run(ctx) {
      const findings = newFindings();
      try {
        return await review(ctx, input, findings);
      } finally {
        input.reviewed(findings);
      }
    },
  };
}

/** Reachability, credentials, then every planned check's permissions; fills `findings` when usable. */
async function review(ctx: CheckContext, input: PreflightInput, findings: PreflightFindings): Promise<CheckOutcome> {
  let version: ServerVersion;
  try {
    version = await ctx.cluster.version({ signal: ctx.signal, timeoutMs: 10_000 });
  } catch (err) {
    return unusable(err, ctx.cluster.server);
  }
  const ns = input.runNamespace();
  const planned = input.planned().filter((c) => c.id !== PREFLIGHT_ID);
  const unique = distinctPermissions(permissionsOf(planned));
  input.usable?.();
  const review = await reviewPermissions(ctx, unique, ns);
  if ('unusable' in review) return unusable(review.unusable, ctx.cluster.server);
  const { denied, reviewErrors } = review;

  findings.usable = true;
  findings.serverVersion = version.gitVersion;
  const required = missingPerCheck(planned, denied, (n) => describeNeed(n, ns), false);
  const optional = missingPerCheck(planned, denied, (n) => describeOptionalNeed(n, ns), true);
  for (const [id, missing] of required) findings.missingByCheck.set(id, missing);
  for (const [id, missing] of optional) findings.optionalMissingByCheck.set(id, missing);
  const missing = union(required);
  const optionalMissing = union(optional);
  if (optionalMissing.length) {
    ctx.log.warn('preflight.api: optional permissions missing; the checks run with weaker evidence', {
      optionalPermissionsMissing: optionalMissing,
    });
  }
  const evidence = {
    server: ctx.cluster.server,
    serverVersion: version.gitVersion,
    permissionsReviewed: unique.size,
    missingPermissions: missing,
    checksAffected: Object.fromEntries(required),
    optionalPermissionsMissing: optionalMissing,
    checksDegraded: Object.fromEntries(optional),
    ...(reviewErrors.length ? { reviewErrors } : {}),
  };
  if (missing.length === 0) {
    const granted = reviewErrors.length
      ? 'permissions could not be reviewed'
      : optionalMissing.length
        ? `every required permission granted; warning: ${optionalMissing.length} optional permission(s) missing, weaker evidence (GET /v1/rbac): ${optionalMissing.join('; ')}`
        : `all ${unique.size} permissions granted`;
    return {
      status: 'passed',
      summary: `API server ${version.gitVersion} answered; credentials accepted; ${granted}`,
      evidence,
      warnings: [
        ...optionalMissing.map((m) => `optional permission missing, weaker evidence: ${m}`),
        ...reviewErrors.map((e) => `permissions could not be reviewed: ${e}`),
      ],
    };
  }
  return {
    status: 'error',
    cause: 'permission',
    summary: `missing permissions: ${missing.join('; ')}`,
    evidence,
    hint: 'Grant the audit identity the least-privilege RBAC from GET /v1/rbac (kubectl apply -f), then re-run. Checks that need these permissions were not run.',
  };
}

function unusable(err: unknown, server: string): CheckOutcome {
  const e = err instanceof ClusterError ? err : undefined;
  const message = messageOf(err);
  const hint =
    e?.kind === 'unauthorized'
      ? 'The API server refused the credentials (401): the token is invalid or expired, or the client certificate is not trusted. Create a fresh token (`kubectl create token <sa>`).'
      : 'The API server could not be reached: check the server URL and port in the kubeconfig, that the API server is running, and the network path from kubeproof.';
  if (e?.kind === 'too-large') {
    // Our own limit, not the network: whatever answered is not behaving like an API server.
    return {
      status: 'error',
      cause: 'unexpected',
      summary: `the API server's answer was not read: ${message}`,
      evidence: { server, error: { kind: e.kind, message } },
      hint: 'The server at this URL answered far more than a Kubernetes API server does: check that the kubeconfig points at the API server.',
    };
  }
  return {
    status: 'error',
    cause: e?.kind === 'unauthorized' ? 'credentials' : 'unreachable',
    summary: `${e?.kind === 'unauthorized' ? 'credentials refused' : 'API server unreachable'}: ${message}`,
    evidence: {
      server,
      error: { kind: e?.kind, httpStatus: e?.httpStatus, message },
    },
    hint,
  };
}
