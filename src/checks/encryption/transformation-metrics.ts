/**
 * Reads `apiserver_storage_transformation_operations_total` from kube-apiserver's /metrics
 * text and compares two scrapes: which `transformer_prefix` a Secret write moved.
 */

const METRIC = 'apiserver_storage_transformation_operations_total';
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export interface TransformationSnapshot {
  /** to_storage, status OK, for Secrets (or for every resource when the label is missing): prefix → count. */
  toStorage: Map<string, number>;
  /** False on kube-apiservers older than the `resource` label: counts then mix every encrypted resource. */
  hasResourceLabel: boolean;
  /** Whether the metric family was printed at all. */
  present: boolean;
}

/** Reads the to_storage transformation counters per prefix from a `/metrics` scrape. */
export function parseTransformationMetrics(text: string): TransformationSnapshot {
  const snapshot: TransformationSnapshot = { toStorage: new Map(), hasResourceLabel: false, present: false };
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) continue;
    snapshot.present = true;
    const close = line.lastIndexOf('}');
    const labels = new Map([...line.slice(METRIC.length + 1, close).matchAll(LABEL)].map((m) => [m[1], m[2]]));
    const value = Number(
      line
        .slice(close + 1)
        .trim()
        .split(' ')[0],
    );
    if (labels.has('resource')) snapshot.hasResourceLabel = true;
    const resource = labels.get('resource');
    if (resource !== undefined && resource !== 'secrets') continue;
    if (labels.get('transformation_type') !== 'to_storage' || labels.get('status') !== 'OK') continue;
    const prefix = labels.get('transformer_prefix') ?? '';
    snapshot.toStorage.set(prefix, (snapshot.toStorage.get(prefix) ?? 0) + value);
  }
  return snapshot;
}

/** Top-level prefixes only: nested per-key prefixes (`key1:`) count the same write twice. */
export const isTopLevelPrefix = (prefix: string): boolean => prefix === 'identity' || prefix.startsWith('k8s:enc:');

export interface TransformationDelta {
  /** Prefixes whose counter grew, with by how much. */
  moved: Map<string, number>;
  /** Prefixes whose counter went down: another replica answered, or the apiserver restarted. */
  wentBack: string[];
}

/** Which prefixes' counters moved between two scrapes (the marker write should move one). */
export function compareSnapshots(before: TransformationSnapshot, after: TransformationSnapshot): TransformationDelta {
  const moved = new Map<string, number>();
  const wentBack: string[] = [];
  for (const prefix of new Set([...before.toStorage.keys(), ...after.toStorage.keys()])) {
    const delta = (after.toStorage.get(prefix) ?? 0) - (before.toStorage.get(prefix) ?? 0);
    if (delta > 0) moved.set(prefix, delta);
    if (delta < 0) wentBack.push(prefix);
  }
  return { moved, wentBack };
}
