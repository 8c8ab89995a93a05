import type { CheckContext } from '../../types.js';

/**
 * Whether pods.cross-node failed in this run: traffic from the client to pods (and nodes) elsewhere
 * is dropped, so a time-out towards them says nothing about DNS, the ClusterIP or the NodePort.
 * Those checks still run and judge what they can observe from the client's own node.
 */
export const crossNodeBroken = (ctx: CheckContext): boolean => ctx.results.get('pods.cross-node')?.status === 'failed';

export const PARTIAL_BECAUSE_CROSS_NODE =
  'Only what the client pod can reach on its own node was observed; the rest is unobservable until routing between nodes works.';
