/** The containers the runtime knows, by pod and name: the current instance and the one before (for `previous=true`). */

import type { PortTable } from '../containers/process-runner.js';
import type { KubeObj } from '../contracts.js';
import type { ContainerInstance } from './container-instance.js';

interface Slot {
  podUid: string;
  current?: ContainerInstance;
  previous?: ContainerInstance;
}

const slotKey = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

export class ContainerRegistry {
  private readonly slots = new Map<string, Slot>();

  /** Records a new instance; the running one (if any) is stopped and kept as previous. */
  add(pod: KubeObj, instance: ContainerInstance): void {
    const key = slotKey(pod.metadata.namespace ?? 'default', pod.metadata.name, instance.spec.name);
    const slot = this.slots.get(key);
    if (!slot || slot.podUid !== instance.podUid) {
      slot?.current?.stop();
      this.slots.set(key, { podUid: instance.podUid, current: instance });
      return;
    }
    slot.current?.stop();
    slot.previous = slot.current;
    slot.current = instance;
  }

  stop(pod: KubeObj, container: string): void {
    const slot = this.slots.get(slotKey(pod.metadata.namespace ?? 'default', pod.metadata.name, container));
    if (slot && (!pod.metadata.uid || slot.podUid === pod.metadata.uid)) slot.current?.stop();
  }

  /** Drops everything (simulation shutdown). */
  stopAll(): void {
    for (const slot of this.slots.values()) slot.current?.stop();
    this.slots.clear();
  }

  find(pod: KubeObj, container: string): Slot | undefined {
    const slot = this.slots.get(slotKey(pod.metadata.namespace ?? 'default', pod.metadata.name, container));
    if (!slot || (pod.metadata.uid && slot.podUid !== pod.metadata.uid)) return undefined;
    return slot;
  }

  /** Running, listening containers of a pod (they share its network namespace). */
  portsOf(namespace: string, pod: string): PortTable[] {
    const prefix = `${namespace}/${pod}/`;
    const tables: PortTable[] = [];
    for (const [key, slot] of this.slots) {
      if (key.startsWith(prefix) && slot.current?.isRunning) tables.push(slot.current.ports);
    }
    return tables;
  }
}
