import type { Catalog, CatalogEntry } from '../kernel/catalog.js';
import type { Guide } from '../kernel/guide.js';
import { DEFAULT_GUIDE } from './guide.js';
import { newFindings, type PreflightInput, preflightApi } from './preflight/api.js';
import { controllerSelfHeal } from './smoke/controller-selfheal.js';
import { deploymentScale } from './smoke/deployment-scale.js';
import { dnsService } from './smoke/dns-service.js';
import { endpointsSlices } from './smoke/endpoints-slices.js';
import { kubeletRestart } from './smoke/kubelet-restart.js';
import { nodesReady } from './smoke/nodes-ready.js';
import { podsCrossNode } from './smoke/pods-cross-node.js';
import { podsExec } from './smoke/pods-exec.js';
import { podsLogs } from './smoke/pods-logs.js';
import { podsNetwork } from './smoke/pods-network.js';
import { podsPortForward } from './smoke/pods-portforward.js';
import { schedulerSpread } from './smoke/scheduler-spread.js';
import { serviceLoadBalancing } from './smoke/service-loadbalancing.js';
import { serviceNodePort } from './smoke/service-nodeport.js';
import { DEFAULT_TIMINGS, type SmokeTimings } from './smoke/shared/timings.js';
import { workloadRollout } from './smoke/workload-rollout.js';
import type { CheckDefinition } from './types.js';

export interface CheckSetInput {
  timings: SmokeTimings;
  preflight: PreflightInput;
  /** Checks owned elsewhere (secrets.encryption), added to the catalog as they are. */
  extraChecks?: readonly CheckDefinition[];
}

/** Every check of one run, wired to that run's preflight findings and timings. */
export function buildCheckSet(input: CheckSetInput): CheckDefinition[] {
  const t = input.timings;
  return [
    preflightApi(input.preflight),
    nodesReady,
    workloadRollout(t),
    schedulerSpread,
    podsNetwork,
    podsCrossNode(t),
    endpointsSlices(t),
    dnsService(t),
    serviceLoadBalancing(t),
    serviceNodePort(t),
    podsLogs,
    podsExec,
    podsPortForward,
    controllerSelfHeal(t),
    deploymentScale(t),
    kubeletRestart(t),
    ...(input.extraChecks ?? []),
  ];
}

/** The check set as static data (no run): what `GET /v1/checks` serves. */
export function catalogChecks(extraChecks: readonly CheckDefinition[] = []): CheckDefinition[] {
  const checks: CheckDefinition[] = buildCheckSet({
    timings: DEFAULT_TIMINGS,
    preflight: { planned: () => checks, runNamespace: () => 'kubeproof-<run>', findings: newFindings() },
    extraChecks,
  });
  return checks;
}

/** What `GET /v1/checks` shows of one check, with the guide's references for its component. */
export function catalogEntry(def: CheckDefinition, guide: Guide): CatalogEntry {
  return {
    id: def.id,
    title: def.title,
    group: def.group,
    component: def.component,
    references: guide[def.component as keyof Guide] ?? [],
    prerequisites: def.prerequisites,
    disruptive: def.disruptive,
    rbac: def.rbac,
  };
}

/**
 * The catalog the app serves and validates selections against.
 * @example
 * const catalog = createCatalog({ guide: loadRunbook(config.runbookPath) });
 * catalog.list().map((c) => c.id);
 */
export function createCatalog(opts: { guide?: Guide; extraChecks?: readonly CheckDefinition[] } = {}): Catalog {
  const guide = opts.guide ?? DEFAULT_GUIDE;
  const entries = catalogChecks(opts.extraChecks).map((d) => catalogEntry(d, guide));
  return { list: () => entries };
}
