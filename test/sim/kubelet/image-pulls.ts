/**
 * The kubelet's image manager (pkg/kubelet/images/image_manager.go EnsureImageExists, with the
 * container events kuberuntime adds): honours imagePullPolicy (Never, IfNotPresent, Always;
 * absent: Always for `:latest` or no tag, else IfNotPresent, as API defaulting sets it), pulls
 * with the pod's image pull secrets, and on failure backs off per pod and image:
 *
 *   Pulling  `Pulling image "<image>"`                     (Normal)
 *   Failed   `Failed to pull image "<image>": <error>`     (Warning)  → waiting ErrImagePull
 *   Failed   `Error: ErrImagePull`                         (Warning)
 *   BackOff  `Back-off pulling image "<image>"`            (Normal)   → waiting ImagePullBackOff
 *   Failed   `Error: ImagePullBackOff`                     (Warning)
 *
 * and pulls again when the back-off (10 s doubling to 5 min, scaled: timings.backoff*) expires.
 */
import type { KubeObj } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';
import { goDuration, imageSizeOf, normalizeImage } from './images.js';
import { containerEvent, type NodeKubelet } from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { waitingContainerStatus } from './pod-status.js';
import { credentialsFrom, pullImage } from './registries.js';
import { writeContainer } from './status-writer.js';

export type ImageState = { ready: true } | { ready: false; reason: string; message: string };

/** imagePullPolicy as set, or as API defaulting would set it. */
export function pullPolicy(container: Json): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const last = String(container.image ?? '')
    .split('/')
    .pop()!;
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** Whether the kubelet will pull this container's image (it announces `Pulling` for it). */
export function willPull(k: NodeKubelet, container: Json): boolean {
  const policy = pullPolicy(container);
  if (policy === 'Never') return false;
  return policy === 'Always' || !k.state.images.has(normalizeImage(container.image));
}

/** The `.dockerconfigjson` of each pull secret the pod names, read from its namespace. */
function podCredentials(k: NodeKubelet, pod: KubeObj) {
  const configs: string[] = [];
  for (const ref of (pod.spec?.imagePullSecrets ?? []) as Array<{ name: string }>) {
    const secret = k.ctx.store.get('secrets', pod.metadata.namespace, ref.name);
    const data = secret?.data?.['.dockerconfigjson'];
    if (typeof data === 'string') configs.push(Buffer.from(data, 'base64').toString());
  }
  return credentialsFrom(configs);
}

/** EnsureImageExists for one container: events, the node's image store, the back-off state. */
export function ensureImage(k: NodeKubelet, pod: KubeObj, rec: PodRecord, container: Json): ImageState {
  const { name, image } = container;
  const present = k.state.images.has(normalizeImage(image));
  const policy = pullPolicy(container);
  if (policy === 'Never' && !present) {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    containerEvent(k, pod, name, 'Warning', 'ErrImageNeverPull', message);
    containerEvent(k, pod, name, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
    return { ready: false, reason: 'ErrImageNeverPull', message };
  }
  if (!willPull(k, container)) {
    containerEvent(k, pod, name, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return { ready: true };
  }
  const result = pullImage(image, podCredentials(k, pod));
  if (result.ok) {
    const took = goDuration(k.ctx.latencies.podStartMs + (rec.pullMs ?? 0));
    containerEvent(
      k,
      pod,
      name,
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSizeOf(image)} bytes.`,
    );
    k.state.images.add(normalizeImage(image));
    rec.pullBackoff?.delete(name);
    return { ready: true };
  }
  containerEvent(k, pod, name, 'Warning', 'Failed', `Failed to pull image "${image}": ${result.message}`);
  containerEvent(k, pod, name, 'Warning', 'Failed', 'Error: ErrImagePull');
  return { ready: false, reason: 'ErrImagePull', message: result.message };
}

const backOffTimer = (rec: PodRecord, name: string) => `pullbackoff:${rec.uid}:${name}`;
const retryTimer = (rec: PodRecord, name: string) => `pull:${rec.uid}:${name}`;

/**
 * After ErrImagePull: the next sync finds the image in back-off (ImagePullBackOff) until the
 * back-off expires; then `retry` pulls again (and starts the container if that worked).
 */
export function backOffPull(
  k: NodeKubelet,
  pod: KubeObj,
  rec: PodRecord,
  container: Json,
  retry: (pod: KubeObj) => void,
): void {
  const { name, image } = container;
  rec.pullBackoff ??= new Map();
  const previous = rec.pullBackoff.get(name);
  const backoff =
    previous === undefined ? k.ctx.timings.backoffBaseMs : Math.min(previous * 2, k.ctx.timings.backoffMaxMs);
  rec.pullBackoff.set(name, backoff);
  const current = () => {
    const p = k.ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
    return p && p.metadata.uid === rec.uid && !p.metadata.deletionTimestamp ? p : undefined;
  };
  k.loop.timers.set(backOffTimer(rec, name), Math.max(1, backoff / 4), () => {
    const p = current();
    if (!p) return;
    const message = `Back-off pulling image "${image}"`;
    containerEvent(k, p, name, 'Normal', 'BackOff', message);
    containerEvent(k, p, name, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    writeContainer(k, p, rec, name, (spec) => waitingContainerStatus(spec, 'ImagePullBackOff', undefined, message));
  });
  k.loop.timers.set(retryTimer(rec, name), backoff, () => {
    const p = current();
    if (!p) return;
    containerEvent(k, p, name, 'Normal', 'Pulling', `Pulling image "${image}"`);
    retry(p);
  });
}

/** Whether a pull of this container is waiting for its back-off (to re-arm after a kubelet restart). */
export function pullPending(k: NodeKubelet, rec: PodRecord, name: string): boolean {
  return k.loop.timers.has(retryTimer(rec, name));
}

export function cancelPulls(k: NodeKubelet, rec: PodRecord, name: string): void {
  k.loop.timers.cancel(backOffTimer(rec, name));
  k.loop.timers.cancel(retryTimer(rec, name));
}
