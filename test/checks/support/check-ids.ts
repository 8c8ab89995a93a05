/** The check ids of the built-in suite, in plan order, for tests that assert whole vectors. */
export const SMOKE_SUITE = [
  'preflight.api',
  'nodes.ready',
  'workload.rollout',
  'scheduler.spread',
  'pods.network',
  'pods.cross-node',
  'endpoints.slices',
  'dns.service',
  'service.loadbalancing',
  'service.nodeport',
  'pods.logs',
  'pods.exec',
  'pods.portforward',
  'controller.selfheal',
  'deployment.scale',
  'kubelet.restart',
] as const;
export type SmokeSuiteId = (typeof SMOKE_SUITE)[number];

/** Every check that needs the web workload to have rolled out. */
export const AFTER_ROLLOUT: SmokeSuiteId[] = SMOKE_SUITE.filter(
  (id) => !['preflight.api', 'nodes.ready', 'workload.rollout'].includes(id),
);
