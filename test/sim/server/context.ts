import type { ContainerRuntime, SimStore } from '../contracts.js';
import type { SimFaultSet } from '../faults.js';
import type { Accounting } from './accounting.js';

/** What every handler of the API server may use. */
export interface ApiContext {
  store: SimStore;
  faults: SimFaultSet;
  accounting: Accounting;
  /** The authenticated user's name (one user: the kubeconfig's token). */
  user: string;
  /** The kubelets' streaming side, once the runtime part is wired in. */
  runtime(): ContainerRuntime | undefined;
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Watches end on their own after this long when the client gave no timeoutSeconds. */
  defaultWatchTimeoutMs: number;
  /** Resolves when writes mirrored to storage (Secrets → etcd) are done, as etcd is before a real response. */
  storageSettled?: () => Promise<void>;
}
