import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../../types.js';
import { unlessNetworkPolicy } from './network-policy-drop.js';
import { requireWorkload } from './pods.js';
import { RBAC } from './rbac.js';

type WorkloadCheckSpec = Omit<CheckDefinition, 'group' | 'disruptive' | 'needsWorkload' | 'run'> & {
  /** Deletes, scales or kills something (default false). */
  disruptive?: boolean;
  /**
   * The check's calls go over the pod network, where a NetworkPolicy may drop them: a failure
   * while kubeproof could not allow its own traffic is judged by unlessNetworkPolicy.
   */
  podTraffic?: boolean;
  run(ctx: CheckContext, workload: WorkloadHandle): Promise<CheckOutcome>;
};

/**
 * A smoke check that works on the run's workload: the group, the workload flag and the
 * workload lookup are the same for all of them, so each check states only what is its own.
 * @example workloadCheck({ id: 'pods.exec', ..., async run(ctx, w) { ... w.namespace ... } })
 */
export function workloadCheck({
  run,
  disruptive = false,
  podTraffic = false,
  ...spec
}: WorkloadCheckSpec): CheckDefinition {
  return {
    ...spec,
    rbac: podTraffic ? [...spec.rbac, ...RBAC.readNetworkPolicies] : spec.rbac,
    group: 'smoke',
    disruptive,
    needsWorkload: true,
    run: async (ctx) => {
      const w = requireWorkload(ctx);
      const outcome = await run(ctx, w);
      return podTraffic ? unlessNetworkPolicy(ctx, w, outcome) : outcome;
    },
  };
}
