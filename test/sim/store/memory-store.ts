/**
 * The simulated cluster's object store: what etcd + the registry are to kube-apiserver.
 * One cluster-wide resourceVersion counter (etcd's revision), a bounded event history so a
 * watch from an old resourceVersion gets 410 Expired, finalizers and deletionTimestamp.
 * Objects are copied in and out: nobody holds a reference into the store.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObj, SimStore, StoreDeleteOptions, StoreWriteOptions, WatchEvent } from '../contracts.js';
import { alreadyExists, conflict, expired, invalid, notFound, StatusError } from './errors.js';
import { newUid, nowTimestamp, randomSuffix } from './names.js';
import { apiVersionOf, groupResource, type ResourceDef, storedResource } from './resources.js';
import { createStrategies, type Strategies } from './strategies.js';

export interface MemoryStoreOptions {
  /** How many past events are kept for watches that resume from a resourceVersion. */
  historyLimit?: number;
  serviceCidr?: string;
  /** The other family's service CIDR on a dual-stack cluster (--service-cluster-ip-range's second entry). */
  secondaryServiceCidr?: string;
  /** Called for every change after it is applied (the storage layer mirrors Secrets to etcd from here). */
  onWrite?: (resource: string, event: WatchEvent) => void;
  /**
   * Validating admission for every create, after defaults and name generation (as the API server
   * runs it for its clients and for the controllers, which create through it): throws the denial,
   * returns warnings. See admission/.
   */
  admit?: (store: SimStore, resource: string, obj: KubeObj) => string[];
}

type WriteOptions = StoreWriteOptions;

interface Watcher {
  resource: string;
  namespace: string | undefined;
  onEvent: (event: WatchEvent) => void;
}

interface HistoryEntry {
  rv: number;
  resource: string;
  namespace: string | undefined;
  event: WatchEvent;
}

const clone = <T>(v: T): T => structuredClone(v);

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function stripVolatile(obj: KubeObj): unknown {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

export class MemoryStore implements SimStore {
  private readonly objects = new Map<string, Map<string, KubeObj>>();
  private readonly watchers = new Set<Watcher>();
  private readonly history: HistoryEntry[] = [];
  private readonly historyLimit: number;
  private readonly strategies: Strategies;
  private rv = 1;
  /** Highest resourceVersion no longer in history: a watch from before it has expired. */
  private compactedRv = 1;
  private readonly pending: Array<{ resource: string; namespace: string | undefined; event: WatchEvent }> = [];
  private delivering = false;

  constructor(private readonly options: MemoryStoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 2000;
    this.strategies = createStrategies({
      serviceCidr: options.serviceCidr ?? '10.96.0.0/12',
      secondaryServiceCidr: options.secondaryServiceCidr,
    });
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObj | undefined {
    const def = this.def(resource);
    const obj = this.bucket(resource).get(key(def.namespaced ? namespace : undefined, name));
    return obj ? clone(obj) : undefined;
  }

  list(resource: string, namespace?: string): KubeObj[] {
    this.def(resource);
    const out: KubeObj[] = [];
    for (const obj of this.bucket(resource).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(clone(obj));
    }
    return out.sort((a, b) =>
      key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)),
    );
  }

  create(resource: string, input: KubeObj, options: WriteOptions = {}): KubeObj {
    const def = this.def(resource);
    const obj = clone(input);
    obj.metadata ??= { name: '' };
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    if (!def.namespaced) delete obj.metadata.namespace;
    else if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
    const bucket = this.bucket(resource);
    if (!obj.metadata.name) {
      if (!obj.metadata.generateName) {
        throw invalid({ group: def.group, kind: def.kind }, '', [
          { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
        ]);
      }
      obj.metadata.name = this.freshName(bucket, obj.metadata.namespace, obj.metadata.generateName);
    }
    if (bucket.has(key(obj.metadata.namespace, obj.metadata.name)))
      throw alreadyExists(groupResource(def), obj.metadata.name);
    for (const field of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const)
      delete obj.metadata[field];
    this.strategies.prepareCreate(def, obj);
    try {
      const warnings = this.options.admit?.(this, resource, obj) ?? [];
      options.warnings?.push(...warnings);
    } catch (e) {
      this.strategies.released(def, obj);
      throw e;
    }
    obj.metadata.uid = newUid();
    obj.metadata.creationTimestamp = nowTimestamp();
    if (def.generation) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (options.dryRun) {
      this.strategies.released(def, obj);
      return this.normalise(obj);
    }
    obj.metadata.resourceVersion = String(++this.rv);
    const stored = this.normalise(obj);
    bucket.set(key(stored.metadata.namespace, stored.metadata.name), stored);
    this.emit(resource, { type: 'ADDED', object: stored });
    return clone(stored);
  }

  update(resource: string, input: KubeObj, options: WriteOptions = {}): KubeObj {
    const def = this.def(resource);
    const bucket = this.bucket(resource);
    const namespace = def.namespaced ? input.metadata.namespace || 'default' : undefined;
    const k = key(namespace, input.metadata.name);
    const old = bucket.get(k);
    if (!old) throw notFound(groupResource(def), input.metadata.name);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(groupResource(def), input.metadata.name);
    }
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    // Server-owned metadata cannot be changed by an update.
    obj.metadata = {
      ...obj.metadata,
      name: old.metadata.name,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: old.metadata.resourceVersion,
    };
    if (namespace) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    if (old.metadata.deletionTimestamp) {
      obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete obj.metadata.deletionTimestamp;
      delete obj.metadata.deletionGracePeriodSeconds;
    }
    if (old.metadata.generateName && !obj.metadata.generateName) obj.metadata.generateName = old.metadata.generateName;
    this.strategies.prepareUpdate(def, obj, old);
    if (def.generation) {
      const generation = old.metadata.generation ?? 1;
      obj.metadata.generation = isDeepStrictEqual(obj.spec, old.spec) ? generation : generation + 1;
    }
    const next = this.normalise(obj);
    if (options.dryRun) return clone(next);
    // A terminating object goes once nothing holds it: no finalizers and no grace period left.
    const graceOver = (old.metadata.deletionGracePeriodSeconds ?? 0) === 0;
    if (old.metadata.deletionTimestamp && graceOver && !this.hasFinalizers(next))
      return this.remove(def, bucket, k, next);
    // A no-op write neither bumps the resourceVersion nor wakes watchers, as in the real server.
    if (isDeepStrictEqual(stripVolatile(next), stripVolatile(old))) return clone(old);
    next.metadata.resourceVersion = String(++this.rv);
    bucket.set(k, next);
    this.emit(resource, { type: 'MODIFIED', object: next });
    return clone(next);
  }

  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    options: StoreDeleteOptions = {},
  ): KubeObj | undefined {
    const def = this.def(resource);
    const bucket = this.bucket(resource);
    const k = key(def.namespaced ? namespace : undefined, name);
    const old = bucket.get(k);
    if (!old) throw notFound(groupResource(def), name);
    if (options.dryRun) return clone(old);
    const grace = this.gracePeriod(def, old, options);
    if (grace > 0) return this.markGraceful(def, bucket, k, old, grace);
    if (!this.hasFinalizers(old)) return this.remove(def, bucket, k, old);
    if (old.metadata.deletionTimestamp && old.metadata.deletionGracePeriodSeconds === 0) return clone(old);
    return this.mark(def, bucket, k, old, nowTimestamp(), 0);
  }

  resourceVersion(): number {
    return this.rv;
  }

  /**
   * Forgets the events up to `rv`: a watch from before it gets 410 Expired. The API server does
   * this once it is up, as its watch cache starts at the resourceVersion of its initial list
   * (watchCache.getAllEventsSinceLocked: `too old resource version: <rv> (<oldest - 1>)`).
   */
  compact(rv: number): void {
    if (rv <= this.compactedRv) return;
    this.compactedRv = rv;
    while (this.history.length > 0 && this.history[0]!.rv <= rv) this.history.shift();
  }

  /** Watches open right now (a client that closed its watch is gone from here): for leak tests. */
  watcherCount(): number {
    return this.watchers.size;
  }

  watch(
    resource: string,
    namespace: string | undefined,
    onEvent: (event: WatchEvent) => void,
    sinceResourceVersion?: number,
  ): () => void {
    this.def(resource);
    const watcher: Watcher = { resource, namespace, onEvent };
    if (sinceResourceVersion !== undefined) {
      if (sinceResourceVersion < this.compactedRv) {
        throw expired(`too old resource version: ${sinceResourceVersion} (${this.compactedRv})`);
      }
      for (const entry of this.history) {
        if (entry.rv > sinceResourceVersion && this.wants(watcher, entry.resource, entry.namespace)) {
          onEvent(clone(entry.event));
        }
      }
    }
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  private def(resource: string): ResourceDef {
    const def = storedResource(resource);
    if (!def || def.virtual)
      throw new StatusError(404, 'NotFound', `the server could not find the requested resource (${resource})`, {});
    return def;
  }

  private bucket(resource: string): Map<string, KubeObj> {
    let b = this.objects.get(resource);
    if (!b) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  private freshName(bucket: Map<string, KubeObj>, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const name = prefix + randomSuffix();
      if (!bucket.has(key(namespace, name))) return name;
    }
  }

  /**
   * Seconds a deletion waits, as the pod registry decides it: a pod bound to a node and not
   * finished stays (Terminating) until its kubelet deletes it again with 0. Others: 0.
   */
  private gracePeriod(def: ResourceDef, obj: KubeObj, options: StoreDeleteOptions): number {
    if (def.plural !== 'pods' || !obj.spec?.nodeName) return 0;
    if (obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return 0;
    return Math.max(0, options.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30);
  }

  /** A graceful deletion: marked now, a repeated one may only shorten the grace period. */
  private markGraceful(
    def: ResourceDef,
    bucket: Map<string, KubeObj>,
    k: string,
    old: KubeObj,
    grace: number,
  ): KubeObj {
    const current = old.metadata.deletionGracePeriodSeconds;
    if (old.metadata.deletionTimestamp && current !== undefined && current <= grace) return clone(old);
    return this.mark(def, bucket, k, old, nowTimestamp(new Date(Date.now() + grace * 1000)), grace);
  }

  private mark(
    def: ResourceDef,
    bucket: Map<string, KubeObj>,
    k: string,
    old: KubeObj,
    at: string,
    grace: number,
  ): KubeObj {
    const marked = clone(old);
    marked.metadata.deletionTimestamp = at;
    marked.metadata.deletionGracePeriodSeconds = grace;
    if (def.plural === 'namespaces') marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
    marked.metadata.resourceVersion = String(++this.rv);
    bucket.set(k, marked);
    this.emit(def.plural, { type: 'MODIFIED', object: marked });
    return clone(marked);
  }

  private hasFinalizers(obj: KubeObj): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return true;
    return obj.kind === 'Namespace' && (obj.spec?.finalizers ?? []).length > 0;
  }

  private remove(def: ResourceDef, bucket: Map<string, KubeObj>, k: string, last: KubeObj): KubeObj {
    bucket.delete(k);
    this.strategies.released(def, last);
    const gone = clone(last);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(def.plural, { type: 'DELETED', object: gone });
    return clone(gone);
  }

  /** Puts metadata first, in the order the real server serialises it. */
  private normalise(obj: KubeObj): KubeObj {
    const { apiVersion, kind, metadata, ...rest } = obj;
    return { apiVersion, kind, metadata, ...rest };
  }

  private wants(w: Watcher, resource: string, namespace: string | undefined): boolean {
    return w.resource === resource && (w.namespace === undefined || w.namespace === namespace);
  }

  /**
   * Records and delivers an event. Delivery is queued so that a watcher writing to the store
   * from its callback cannot make others see events out of order.
   */
  private emit(resource: string, event: WatchEvent): void {
    const namespace = event.object.metadata.namespace;
    const frozen = clone(event);
    this.history.push({ rv: Number(event.object.metadata.resourceVersion), resource, namespace, event: frozen });
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.compactedRv = dropped.rv;
    }
    this.options.onWrite?.(resource, clone(frozen));
    this.pending.push({ resource, namespace, event: frozen });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const w of [...this.watchers]) {
          if (this.watchers.has(w) && this.wants(w, next.resource, next.namespace)) {
            try {
              w.onEvent(clone(next.event));
            } catch {
              // One faulty watcher must not stop the others from seeing the change.
            }
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

export function createMemoryStore(options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options);
}
