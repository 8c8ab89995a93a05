/**
 * The key-value store behind simulated Secrets: a real etcd when the test gives one,
 * otherwise an in-memory stand-in with etcd's revision semantics, so `etcdctl` output
 * looks the same either way.
 */

/** etcd's uint64/int64 fields, kept as decimal strings (they exceed Number's precision). */
export interface RangeHeader {
  cluster_id: string;
  member_id: string;
  revision: string;
  raft_term: string;
}

export interface StoredKeyValue {
  key: Buffer;
  create_revision: string;
  mod_revision: string;
  version: string;
  value: Buffer;
}

export interface RangeRequest {
  key: Buffer;
  /** Exclusive end; absent = exactly `key`. */
  rangeEnd?: Buffer;
  limit?: number;
  keysOnly?: boolean;
}

export interface RangeResult {
  header: RangeHeader;
  kvs: StoredKeyValue[];
  more: boolean;
  count: string;
}

export interface KvBackend {
  put(key: string, value: Buffer): Promise<void>;
  delete(key: string): Promise<void>;
  range(request: RangeRequest): Promise<RangeResult>;
  close(): Promise<void>;
}

/** etcd's prefix range end: the prefix with its last byte incremented (carrying over 0xff). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] ?? 0) < 0xff) {
      end[i] = (end[i] ?? 0) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // whole keyspace
}

interface MemoryEntry {
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
}

export function createMemoryKv(): KvBackend {
  const entries = new Map<string, MemoryEntry>();
  let revision = 1; // a fresh etcd starts at revision 1
  const header = (): RangeHeader => ({
    cluster_id: '14841639068965178418',
    member_id: '10276657743932975437',
    revision: String(revision),
    raft_term: '2',
  });
  return {
    async put(key, value) {
      revision++;
      const previous = entries.get(key);
      entries.set(key, {
        value: Buffer.from(value),
        createRevision: previous?.createRevision ?? revision,
        modRevision: revision,
        version: (previous?.version ?? 0) + 1,
      });
    },
    async delete(key) {
      if (entries.delete(key)) revision++;
    },
    async range({ key, rangeEnd, limit, keysOnly }) {
      const matching = [...entries.keys()]
        .map((k) => Buffer.from(k, 'utf8'))
        .filter((k) => (rangeEnd ? Buffer.compare(k, key) >= 0 && Buffer.compare(k, rangeEnd) < 0 : k.equals(key)))
        .sort(Buffer.compare);
      const taken = limit && limit > 0 ? matching.slice(0, limit) : matching;
      return {
        header: header(),
        kvs: taken.map((k) => {
          const entry = entries.get(k.toString('utf8')) as MemoryEntry;
          return {
            key: k,
            create_revision: String(entry.createRevision),
            mod_revision: String(entry.modRevision),
            version: String(entry.version),
            value: keysOnly ? Buffer.alloc(0) : entry.value,
          };
        }),
        more: taken.length < matching.length,
        count: String(matching.length),
      };
    },
    async close() {},
  };
}
