/**
 * Fault `coredns-down`: the CoreDNS pods exit shortly after each start and never pass their
 * readiness probe in between, as CoreDNS does when it cannot serve (a broken Corefile, a
 * forward loop): CrashLoopBackOff, kube-dns without ready endpoints.
 */
import type { FaultSet, KubeObj } from '../contracts.js';

const crashingPodLabel = ['k8s-app', 'kube-dns'] as const;

/** A kube-system pod labelled k8s-app=kube-dns (CoreDNS), whether or not the fault is on. */
export function isCoreDnsPod(pod: KubeObj): boolean {
  return pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.[crashingPodLabel[0]] === crashingPodLabel[1];
}

/** The pod crashes (and is held unready) because coredns-down is on. */
export function crashesByFault(faults: FaultSet, pod: KubeObj): boolean {
  return faults.has('coredns-down') && isCoreDnsPod(pod);
}
