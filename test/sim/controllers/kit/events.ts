/**
 * Writes core/v1 Events the way client-go's recorder does: one object per (object, reason,
 * message, source), whose count and lastTimestamp grow when the same thing happens again.
 */
import type { KubeObj, SimStore } from '../../contracts.js';
import { type Json, namespaceIsGoneOrTerminating, timestamp } from './objects.js';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventInput {
  object: KubeObj;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  source: EventSource;
  /** `spec.containers{web}` for container events, as the kubelet sets it. */
  fieldPath?: string;
}

export class EventRecorder {
  private readonly names = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly store: SimStore,
    private readonly clock: () => Date,
  ) {}

  record(input: EventInput): void {
    const { object, source } = input;
    // Node events live in `default`, as cluster-scoped objects' events do.
    const namespace = object.metadata.namespace ?? 'default';
    // The API server refuses new content in a namespace being deleted.
    if (namespaceIsGoneOrTerminating(this.store, namespace)) return;
    const now = this.clock();
    const aggregateKey = [
      object.metadata.uid,
      input.fieldPath,
      input.reason,
      input.message,
      source.component,
      source.host,
    ].join('|');
    const existingName = this.names.get(aggregateKey);
    const existing = existingName ? this.store.get('events', namespace, existingName) : undefined;
    try {
      if (existing) {
        existing.count = (existing.count ?? 1) + 1;
        existing.lastTimestamp = timestamp(now);
        this.store.update('events', existing);
        return;
      }
      const name = `${object.metadata.name}.${this.eventSuffix(now)}`;
      this.names.set(aggregateKey, name);
      this.store.create('events', this.newEvent(input, namespace, name, now));
    } catch {
      // Events are best effort in the real recorder too: a lost event never fails the caller.
    }
  }

  private newEvent(input: EventInput, namespace: string, name: string, now: Date): KubeObj {
    const { object, source } = input;
    const involvedObject: Json = {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      uid: object.metadata.uid,
      apiVersion: object.apiVersion,
      resourceVersion: object.metadata.resourceVersion,
    };
    if (!object.metadata.namespace) delete involvedObject.namespace;
    if (input.fieldPath) involvedObject.fieldPath = input.fieldPath;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason: input.reason,
      message: input.message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: timestamp(now),
      lastTimestamp: timestamp(now),
      count: 1,
      type: input.type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
  }

  /** client-go names events `<object>.<unix nanoseconds in hex>`. */
  private eventSuffix(now: Date): string {
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return nanos.toString(16);
  }
}
