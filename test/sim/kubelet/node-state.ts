/**
 * What the kubelet of one node knows about its pods. NodeState is what containerd keeps across
 * a kubelet restart (pod IPs, pulled images, running containers), so `node-notready:<node>` can
 * stop the kubelet process and bring it back without losing it.
 */
import type { KubeObj } from '../contracts.js';
import type { PodIpAllocator } from './pod-ips.js';
import type { ContainerRecord } from './pod-status.js';

/** new → sandbox (CNI) → starting (images, containers) → running → finished | terminating. */
export type Stage = 'new' | 'sandbox' | 'starting' | 'running' | 'finished' | 'terminating';

export interface PodRecord {
  uid: string;
  stage: Stage;
  podIp?: string;
  containers: Map<string, ContainerRecord>;
  /** Images this pod announced `Pulling` for: it reports `Successfully pulled` for them. */
  pulling?: Set<string>;
  /** Containers whose image pull failed: the current back-off (ms), doubled per failure. */
  pullBackoff?: Map<string, number>;
  /** How long this pod's pulls took beyond the start latency, as the Pulled event reports it (slow registries). */
  pullMs?: number;
  /** While terminating: containers sent TERM whose main process has not exited yet (SIGKILLed at the grace period's end). */
  terminatingContainers?: Set<string>;
}

/** What survives a kubelet restart on a node (containerd's state). */
export interface NodeState {
  name: string;
  hostIp: string;
  ips: PodIpAllocator;
  images: Set<string>;
  pods: Map<string, PodRecord>;
  /** Last version of each pod seen on this node, to stop its containers once it is gone. */
  lastSeen: Map<string, KubeObj>;
}
