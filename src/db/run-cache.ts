/**
 * Bodies rendered from a stored run (the audit JSON, each report format), kept while the run does
 * not change: the store forgets a run's entries on every write to it, so an entry is never stale.
 * Only finished runs are worth caching (the routes decide); bounded by total bytes, least
 * recently used first out. Bodies are kept encoded (UTF-8), so a read writes them as they are.
 * An entry also holds the run's owner: a run's owner never changes, so a read of a cached body
 * checks the tenant without reading the run again (routes/audits/fast-read.ts). This holds
 * because this process is the one writer of its runs (a second instance on the same file, while
 * a restarted one drains, accepts no requests and sweeps nothing).
 */

export interface CachedBody {
  /** The UTF-8 bytes sent. */
  body: Uint8Array;
  contentType: string;
  /** A strong validator of exactly these bytes (RFC 9110 §8.8.3), quoted. */
  etag: string;
  /** The run's owner (`audit_runs.owner`: the tenant that created it, null when the API was open). */
  owner: string | null;
}

/** What the cache holds at most (bytes of bodies). */
export const RUN_CACHE_BUDGET = 32 * 1024 * 1024;

export class RunCache {
  /** `runId` → representation key → body; Map order is recency (oldest first). */
  readonly #runs = new Map<string, Map<string, CachedBody>>();
  #size = 0;

  constructor(readonly budget = RUN_CACHE_BUDGET) {}

  get(runId: string, key: string): CachedBody | undefined {
    const entries = this.#runs.get(runId);
    const hit = entries?.get(key);
    if (entries && hit) {
      // Most recently used: to the end.
      this.#runs.delete(runId);
      this.#runs.set(runId, entries);
    }
    return hit;
  }

  set(runId: string, key: string, value: CachedBody): void {
    if (value.body.byteLength > this.budget) return;
    const entries = this.#runs.get(runId) ?? new Map<string, CachedBody>();
    const old = entries.get(key);
    if (old) this.#size -= old.body.byteLength;
    entries.set(key, value);
    this.#size += value.body.byteLength;
    this.#runs.delete(runId);
    this.#runs.set(runId, entries);
    for (const [id] of this.#runs) {
      if (this.#size <= this.budget) break;
      this.forget(id);
    }
  }

  /** The run changed (or is gone): none of its bodies holds any more. */
  forget(runId: string): void {
    const entries = this.#runs.get(runId);
    if (!entries) return;
    for (const v of entries.values()) this.#size -= v.body.byteLength;
    this.#runs.delete(runId);
  }
}
