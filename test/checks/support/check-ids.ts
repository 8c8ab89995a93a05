/**
 * Check ids for tests that assert whole vectors, derived from the check registry
 * (src/checks/index.ts) and its prerequisite graph, never kept by hand.
 */
import { catalogChecks } from '../../../src/checks/catalog.js';
import { planChecks } from '../../../src/engine/suite/planner.js';

const ALL_CHECKS = catalogChecks();

/** Every registered check id, in catalog order. */
export const CHECK_IDS: readonly string[] = ALL_CHECKS.map((c) => c.id);

/** The check ids of the smoke suite, in plan order (preflight.api first). */
export const SMOKE_SUITE: readonly string[] = planChecks(['smoke'], ALL_CHECKS).map((c) => c.id);
export type SmokeSuiteId = string;

/** Every check that needs `id` to pass, directly or through another prerequisite. */
export function dependentsOf(id: string, within: readonly string[] = SMOKE_SUITE): string[] {
  const prerequisites = new Map(ALL_CHECKS.map((c) => [c.id, c.prerequisites]));
  const dependsOn = (check: string): boolean => (prerequisites.get(check) ?? []).some((p) => p === id || dependsOn(p));
  return within.filter(dependsOn);
}

/** Every check that needs the web workload to have rolled out. */
export const AFTER_ROLLOUT: SmokeSuiteId[] = dependentsOf('workload.rollout');

/** Every check that runs its observation through `kubectl exec` in a pod (pods.exec's dependents). */
export const EXEC_DEPENDENTS: SmokeSuiteId[] = dependentsOf('pods.exec');
