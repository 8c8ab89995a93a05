/** The API server's container checks shared by logs, exec, attach: default container, unknown container, completed pod. */
import type { KubeObj } from '../contracts.js';
import { type ApiStatus, badRequest } from './status.js';

/** Picks the container a request means, or the BadRequest the API server answers. */
export function chooseContainer(pod: KubeObj, requested: string): { name: string } | { error: ApiStatus } {
  const containers: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const initContainers: string[] = (pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name);
  if (requested) {
    if ([...containers, ...initContainers].includes(requested)) return { name: requested };
    return { error: badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`) };
  }
  if (containers.length === 1) return { name: containers[0]! };
  if (containers.length === 0)
    return { error: badRequest(`a container name must be specified for pod ${pod.metadata.name}`) };
  const init = initContainers.length ? ` or one of the init containers: [${initContainers.join(' ')}]` : '';
  return {
    error: badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]${init}`,
    ),
  };
}

/** Why a container has no running instance, in the kubelet's words. */
export function waitingReason(pod: KubeObj, container: string): string {
  const statuses: Array<{ name: string; state?: { waiting?: { reason?: string } } }> = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ];
  return statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
}
