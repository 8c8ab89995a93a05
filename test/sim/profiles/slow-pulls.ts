/**
 * `slow-pulls`: today's default cluster behind a slow registry (a cold mirror, a rate-limited
 * pull-through cache, a node just added by an autoscaler): the first pull of an image on a node
 * takes 60–120 s; later pulls of it there are cached (`Container image ... already present on
 * machine`). The kubelet reports the time in its `Pulled` event (`Successfully pulled image "…"
 * in 1m27.3s (1m27.3s including waiting)`, pkg/kubelet/images/image_manager.go). Scaled like
 * every client time-out of the simulation (network/timing.ts), so a test does not wait minutes.
 */
import { kthwShape } from './kthw.js';
import type { ClusterProfile } from './types.js';

export const slowPulls: ClusterProfile = {
  name: 'slow-pulls',
  summary:
    "today's default with a slow registry: each image's first pull on a node takes 60-120 s (scaled), later pulls cached",
  shape: (workers) => kthwShape(workers),
  firstPullMs: { min: 60_000, max: 120_000 },
};
