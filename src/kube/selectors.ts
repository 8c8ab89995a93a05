import type { ListSelector } from './cluster-access.js';

/**
 * The selector of one object by name, for watching it with `waitFor`.
 * @example cluster.waitFor('pods', byName('client', ns), ([pod]) => pod?.status?.phase === 'Running' || undefined)
 */
export function byName(name: string, namespace?: string): ListSelector {
  const fieldSelector = `metadata.name=${name}`;
  return namespace ? { namespace, fieldSelector } : { fieldSelector };
}
