/** One simulated cluster and a kubectl for it per describe block (tests only). */
import { afterAll, beforeAll } from 'vitest';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../index.js';
import { createKubectl, type Kubectl } from '../kubectl.test-helper.js';

export function useSimWithKubectl(options?: SimClusterOptions): { sim: SimCluster; k: Kubectl } {
  const env = {} as { sim: SimCluster; k: Kubectl };
  beforeAll(async () => {
    env.sim = await startSimCluster(options);
    env.k = createKubectl(env.sim.kubeconfig);
  });
  afterAll(async () => {
    env.k?.dispose();
    await env.sim?.stop();
  });
  return env;
}
