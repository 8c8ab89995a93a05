/**
 * The run's shared cache, behind the ClusterAccess seam: one informer per followed kind in the
 * run's own namespace, which every wait and read of the run shares (instead of a list, or a
 * list+watch, per call); Services as their create responses answered them; the nodes, the
 * server version and kube-system's pods read once. Everything else, and whatever the cache cannot answer exactly as
 * the server would (another namespace, a selector form it does not evaluate, a view that is
 * not live), goes to the server as before, so errors and verdicts stay the seam's own.
 */
import {
  type CallOptions,
  type ClusterAccess,
  ClusterError,
  type KubeObject,
  type ListResult,
  type ListSelector,
  type ObjectOf,
  type ResourceKind,
  type ServerVersion,
} from '../cluster-access.js';
import type { Typed } from '../objects.js';
import { Informer } from './informer.js';
import { selectorMatcher } from './selector-match.js';
import { sharedReads } from './shared-read.js';

/**
 * The kinds followed by an informer: what the checks wait on and read, and whether the run reads
 * the kind again after its first wait (then one watch is cheaper than the lists it saves; the
 * EndpointSlices are waited on once). ReplicaSets are not followed: no check reads them (the
 * rollout is judged on the Deployment and its pods).
 */
const FOLLOWED = { pods: { stayLive: true }, deployments: { stayLive: true }, endpointslices: { stayLive: false } };
type FollowedKind = keyof typeof FOLLOWED;
export const FOLLOWED_KINDS = Object.keys(FOLLOWED) as FollowedKind[];
const isFollowed = (k: ResourceKind): k is FollowedKind => k in FOLLOWED;

export interface RunCacheOptions {
  /**
   * The run's own namespace, whose followed kinds are cached. Undefined in an operator's shared
   * namespace: other workloads live there, so nothing of it is followed (memory stays the run's).
   */
  namespace: string | undefined;
  /**
   * Whether the run may list and watch this kind in its namespace: some check of the plan needs
   * it and the permission step let that check run. Asked before the cache follows a kind on its
   * own (prefetch); a kind is otherwise only followed when a wait asks for it.
   */
  mayFollow?: (kind: ResourceKind) => boolean;
}

/** A ClusterAccess whose close() also ends every watch of the cache. */
export type CachedAccess = ClusterAccess;

/**
 * @example
 * const cluster = cachedAccess(countingAccess(connected, observe), { namespace: 'kubeproof-1a2b3c4d' });
 * await cluster.waitFor('pods', { namespace, labelSelector: 'app=web' }, (pods) => pods.length === 3 || undefined);
 * cluster.close(); // every informer's watch ends
 */
export function cachedAccess(inner: ClusterAccess, options: RunCacheOptions): CachedAccess {
  const closed = new AbortController();
  const informers = new Map<FollowedKind, Informer>();
  const informerFor = (resource: ResourceKind, namespace: string | undefined): Informer | undefined => {
    if (!options.namespace || namespace !== options.namespace || !isFollowed(resource)) return undefined;
    let informer = informers.get(resource);
    if (!informer) {
      informer = new Informer(inner, resource, options.namespace, closed.signal, FOLLOWED[resource].stayLive);
      informers.set(resource, informer);
    }
    return informer;
  };
  /** The run's Services as the API server answered their create (cluster IP and node ports are set then). */
  const services = new Map<string, ObjectOf<'services'>>();
  const once = sharedReads(closed.signal);

  const written = (resource: ResourceKind, namespace: string | undefined, obj: KubeObject | undefined) => {
    const name = obj?.metadata?.name as string | undefined;
    const rv = obj?.metadata?.resourceVersion as string | undefined;
    if (resource === 'services' && name && namespace) {
      services.set(`${namespace}/${name}`, obj as ObjectOf<'services'>);
      // The Service's EndpointSlices are waited on once the pods are ready, when the run's
      // checks all start at once: followed from now, that wait reads a live view.
      if (options.mayFollow?.('endpointslices')) informerFor('endpointslices', namespace)?.prefetch();
    }
    if (name && rv) informerFor(resource, namespace)?.wrote({ name, rv });
  };

  /**
   * kube-system's pods, every list of them in the run (the shape's, the encryption check's etcd and
   * kube-apiserver lookups) answered from one unselected list, filtered here as the server
   * filters: what they look for are static pods and the DNS and kube-proxy pods, which a run
   * does not see change. A list refused (403: RBAC grants `list pods` whatever the selector) or
   * timed out fails every asker waiting for it as it would have alone. A namespace too large for
   * one list (kind `too-large`: thousands of DaemonSet pods) sends every selected list of the run
   * to the server, as before, where it stays small.
   * Undefined (ask the server) for another namespace or a selector form the cache does not evaluate.
   */
  let kubeSystemTooLarge = false;
  const kubeSystemPods = async (selector: ListSelector, opts: CallOptions | undefined) => {
    if (selector.namespace !== 'kube-system') return undefined;
    const match = selectorMatcher(selector);
    const selected = Boolean(selector.labelSelector || selector.fieldSelector);
    if (!match || (kubeSystemTooLarge && selected)) return undefined;
    try {
      const all = await once('pods kube-system', (o) => inner.list('pods', { namespace: 'kube-system' }, o), opts);
      return { items: all.items.filter(match), resourceVersion: all.resourceVersion };
    } catch (err) {
      if (!(err instanceof ClusterError && err.kind === 'too-large')) throw err;
      kubeSystemTooLarge = true;
      if (selected) return undefined;
      throw err;
    }
  };

  return {
    server: inner.server,
    ...(inner.outbound ? { outbound: inner.outbound } : {}),
    version: (opts) => once<ServerVersion>('version', (o) => inner.version(o), opts),
    canI: (question, opts) => inner.canI(question, opts),
    rulesReview: (namespace, opts) => inner.rulesReview(namespace, opts),
    async get<K extends ResourceKind>(resource: K, name: string, namespace?: string, opts?: CallOptions) {
      if (resource === 'services' && namespace) {
        const created = services.get(`${namespace}/${name}`);
        if (created) return created as ObjectOf<K>;
      }
      const informer = informerFor(resource, namespace);
      const [found] = (await informer?.read((o) => o.metadata?.name === name, opts)) ?? [];
      // Absent from the cache: the server says whether it is (404 as before, or just created).
      if (found) return found as ObjectOf<K>;
      return inner.get(resource, name, namespace, opts);
    },
    async list<K extends ResourceKind>(resource: K, selector: ListSelector = {}, opts?: CallOptions) {
      // A page is the server's to cut (the cache holds whole lists).
      if (selector.limit || selector.continue) return inner.list(resource, selector, opts);
      // Nodes once per run: the audit judges them at its start (nodes.ready); later checks read
      // names, addresses and ranges, which a run does not see change.
      if (resource === 'nodes' && !selector.labelSelector && !selector.fieldSelector)
        return once('nodes', (o) => inner.list(resource, selector, o), opts);
      const system = resource === 'pods' && !opts?.fresh ? await kubeSystemPods(selector, opts) : undefined;
      if (system) return system as ListResult<ObjectOf<K>>;
      const informer = informerFor(resource, selector.namespace);
      const match = selectorMatcher(selector);
      const items = informer && match ? await informer.read(match, opts) : undefined;
      if (items) return { items: items as ObjectOf<K>[], resourceVersion: latestVersion(items) };
      return inner.list(resource, selector, opts);
    },
    async create<K extends ResourceKind>(resource: K, obj: KubeObject, namespace?: string, opts?: CallOptions) {
      const made = await inner.create(resource, obj, namespace, opts);
      written(resource, namespace, made as KubeObject);
      return made;
    },
    async patch<K extends ResourceKind>(
      resource: K,
      name: string,
      patch: Record<string, unknown>,
      namespace?: string,
      opts?: CallOptions,
    ) {
      const patched = await inner.patch(resource, name, patch, namespace, opts);
      written(resource, namespace, patched as KubeObject);
      return patched;
    },
    async delete(resource, name, namespace, opts) {
      const answer = await inner.delete(resource, name, namespace, opts);
      if (resource === 'services' && namespace) services.delete(`${namespace}/${name}`);
      informerFor(resource, namespace)?.wrote({ name, deleted: true });
      return answer;
    },
    waitFor: (resource, selector, predicate, opts) => {
      const informer = informerFor(resource, selector.namespace);
      const match = selectorMatcher(selector);
      if (!informer || !match) return inner.waitFor(resource, selector, predicate, opts);
      return informer.wait(match, predicate as (objects: readonly Typed[]) => ReturnType<typeof predicate>, opts);
    },
    exec: (req, opts) => inner.exec(req, opts),
    logs: (req, opts) => inner.logs(req, opts),
    followLogs: (req, use, opts) => inner.followLogs(req, use, opts),
    portForwardGet: (req, opts) => inner.portForwardGet(req, opts),
    portForwardGets: (req, count, opts) => inner.portForwardGets(req, count, opts),
    rawGet: (path, opts) => inner.rawGet(path, opts),
    close: () => {
      closed.abort();
      inner.close();
    },
  };
}

/** The highest resourceVersion among the objects, as a list's own would be at least (or '0'). */
function latestVersion(objects: readonly Typed[]): string {
  let best = 0n;
  for (const o of objects) {
    const rv = o.metadata?.resourceVersion;
    if (rv && /^\d+$/.test(rv) && BigInt(rv) > best) best = BigInt(rv);
  }
  return String(best);
}
