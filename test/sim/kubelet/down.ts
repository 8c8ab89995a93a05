/**
 * Whether a node's kubelet process is down. One place for every fault that stops it, read by
 * the kubelets (no heartbeats, no pod work) and by the runtime (the API server cannot dial the
 * kubelet's port for exec, attach, logs or port-forward). Add a new kubelet-down fault here.
 */
import type { FaultSet } from '../contracts.js';

export function kubeletDown(faults: FaultSet, nodeName: string): boolean {
  return faults.args('node-notready').includes(nodeName);
}
