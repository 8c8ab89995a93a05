import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../../types.js';
import { requireWorkload } from './pods.js';

type WorkloadCheckSpec = Omit<CheckDefinition, 'group' | 'disruptive' | 'needsWorkload' | 'run'> & {
  /** Deletes, scales or kills something (default false). */
  disruptive?: boolean;
  run(ctx: CheckContext, workload: WorkloadHandle): Promise<CheckOutcome>;
};

/**
 * A smoke check that works on the run's workload: the group, the workload flag and the
 * workload lookup are the same for all of them, so each check states only what is its own.
 * @example workloadCheck({ id: 'pods.exec', ..., async run(ctx, w) { ... w.namespace ... } })
 */
export function workloadCheck({ run, disruptive = false, ...spec }: WorkloadCheckSpec): CheckDefinition {
  return { ...spec, group: 'smoke', disruptive, needsWorkload: true, run: (ctx) => run(ctx, requireWorkload(ctx)) };
}
