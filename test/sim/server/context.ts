import type { ContainerRuntime, SimStore } from '../contracts.js';
import type { SimFaultSet } from '../faults.js';
import type { Accounting } from './accounting.js';
import type { Authorizer } from './authz.js';
import type { UserInfo } from './rbac.js';
import type { TokenIssuer } from './tokens.js';
import type { VersionInfo } from './version.js';

/** What every handler of the API server may use. */
export interface ApiContext {
  store: SimStore;
  faults: SimFaultSet;
  accounting: Accounting;
  /** Who sent this request (the admin token's user, or a ServiceAccount's). */
  user: UserInfo;
  authorizer: Authorizer;
  tokens: TokenIssuer;
  /** The Kubernetes version the server claims (and authorizes like). */
  version: VersionInfo;
  /** The kubelets' streaming side, once the runtime part is wired in. */
  runtime(): ContainerRuntime | undefined;
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Watches end on their own after this long when the client gave no timeoutSeconds. */
  defaultWatchTimeoutMs: number;
  /** Resolves when writes mirrored to storage (Secrets → etcd) are done, as etcd is before a real response. */
  storageSettled?: () => Promise<void>;
}
