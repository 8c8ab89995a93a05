import { hasControlChars, stripControlChars, truncateBytes } from '../../untrusted-text.js';
import { KubeconfigError, REMEDY } from './errors.js';
import { parseKubeconfigText } from './parse.js';
import type { SanitizedKubeconfig } from './types.js';

type Entry = Record<string, unknown>;

/**
 * Fields refused wherever they appear in the selected cluster or user, with the way forward.
 * A Map, not an object: a key such as `__proto__` or `constructor` must not find Object's members.
 */
const REFUSED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    exec: `exec credential plugins are not accepted (they would run a command on kubeproof's host). ${REMEDY.token}`,
    'auth-provider': `auth-provider plugins are not accepted. ${REMEDY.token}`,
    authProvider: `auth-provider plugins are not accepted. ${REMEDY.token}`,
    'token-file': `token-file reads a file on kubeproof's host. Put the token itself in \`token:\`. ${REMEDY.inline}`,
    tokenFile: `tokenFile reads a file on kubeproof's host. Put the token itself in \`token:\`. ${REMEDY.inline}`,
    'certificate-authority': `file paths are not accepted. ${REMEDY.inline}`,
    'client-certificate': `file paths are not accepted. ${REMEDY.inline}`,
    'client-key': `file paths are not accepted. ${REMEDY.inline}`,
    caFile: `file paths are not accepted. ${REMEDY.inline}`,
    certFile: `file paths are not accepted. ${REMEDY.inline}`,
    keyFile: `file paths are not accepted. ${REMEDY.inline}`,
    'proxy-url': REMEDY.proxy,
    proxyUrl: REMEDY.proxy,
    as: REMEDY.impersonation,
    'as-groups': REMEDY.impersonation,
    'as-uid': REMEDY.impersonation,
    'as-user-extra': REMEDY.impersonation,
    impersonate: REMEDY.impersonation,
    'impersonate-groups': REMEDY.impersonation,
  }),
);

/** Harmless metadata kubectl and minikube write; read past, never used. */
const IGNORED = new Set(['extensions', 'disable-compression']);
const CLUSTER_FIELDS = new Set(['server', 'certificate-authority-data', 'tls-server-name', 'insecure-skip-tls-verify']);
const USER_FIELDS = new Set(['token', 'client-certificate-data', 'client-key-data', 'username', 'password']);
const CONTEXT_FIELDS = new Set(['cluster', 'user', 'namespace']);

/** A refusal naming the offending field, with the message prefixed by it (`users[0].user.exec: ...`). */
function fieldError(field: string, problem: string): KubeconfigError {
  return new KubeconfigError(field, `${field}: ${problem}`);
}

function isEntry(value: unknown): value is Entry {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks every key of one entry against the allow-list; refused keys get their specific remedy. */
function checkFields(entry: Entry, allowed: Set<string>, path: string): void {
  for (const key of Object.keys(entry)) {
    if (allowed.has(key) || IGNORED.has(key)) continue;
    const refusal = REFUSED.get(key);
    // The key is the user's text: shown cut and without control characters.
    const field = `${path}.${truncateBytes(stripControlChars(key), 64)}`;
    if (refusal) throw fieldError(field, refusal);
    throw fieldError(field, `this field is not supported. Accepted: ${[...allowed].join(', ')}. ${REMEDY.inline}`);
  }
}

/** Finds the named entry in a kubeconfig list (`clusters`, `users`, `contexts`) and its body. */
function findNamed(doc: Entry, list: string, inner: string, name: string): { path: string; body: Entry } | undefined {
  const items = doc[list];
  if (!Array.isArray(items)) return undefined;
  const index = items.findIndex((item) => isEntry(item) && item.name === name);
  if (index < 0) return undefined;
  const body = (items[index] as Entry)[inner];
  const path = `${list}[${index}].${inner}`;
  if (!isEntry(body)) throw fieldError(path, 'must be a mapping.');
  return { path, body };
}

function optionalString(entry: Entry, key: string, path: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw fieldError(`${path}.${key}`, 'must be a string.');
  return value;
}

/** `*-data` fields: base64 of PEM. Validated here so a typo is a 400, not a TLS error later. */
function pemData(entry: Entry, key: string, path: string): string | undefined {
  const value = optionalString(entry, key, path);
  if (value === undefined) return undefined;
  const compact = value.replace(/\s+/g, '');
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : '';
  if (!decoded.includes('-----BEGIN ')) {
    throw fieldError(
      `${path}.${key}`,
      'must be base64-encoded PEM (as `kubectl config view --raw --flatten` writes it).',
    );
  }
  return compact;
}

function parseServer(cluster: Entry, path: string): string {
  const field = `${path}.server`;
  const raw = optionalString(cluster, 'server', path);
  if (!raw) throw fieldError(field, 'the cluster has no server URL.');
  // The URL parser would silently drop tabs and newlines; refuse them so what is stored is what was sent.
  if (hasControlChars(raw)) throw fieldError(field, 'must not contain control characters.');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fieldError(field, 'not a valid URL.');
  }
  if (url.protocol !== 'https:') {
    throw fieldError(field, 'must be an https:// URL (kubeproof never sends credentials in clear text).');
  }
  if (url.username || url.password) {
    throw fieldError(field, `credentials in the URL are not accepted; use the user's token or certificate.`);
  }
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw fieldError(field, 'must not carry a query or fragment (`?`, `#`): kubeproof appends API paths to it.');
  }
  return normalizeServerUrl(raw);
}

/**
 * The API server URL as runs store it, so a filter matches however it was typed: trimmed, host
 * lower-cased and in punycode, numeric IPv4 forms as dotted quads, default port dropped, no
 * query, fragment or trailing slash. Text that is no URL is only trimmed.
 */
export function normalizeServerUrl(url: string): string {
  const trimmed = url.trim();
  try {
    const u = new URL(trimmed);
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return trimmed.replace(/\/+$/, '');
  }
}

function parseSkipVerify(cluster: Entry, path: string): boolean {
  const value = cluster['insecure-skip-tls-verify'];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw fieldError(`${path}.insecure-skip-tls-verify`, 'must be true or false.');
}

export interface IntakeResult {
  kubeconfig: SanitizedKubeconfig;
  /** Accepted but worth telling the user (recorded on the run). */
  warnings: string[];
}

/**
 * Parses untrusted kubeconfig text and keeps one context with allow-listed fields only.
 * Throws KubeconfigError naming the offending field and a way forward.
 * @example sanitizeKubeconfig(yamlText, 'kind-dev').kubeconfig.server
 */
export function sanitizeKubeconfig(text: string, requestedContext?: string): IntakeResult {
  const doc = parseKubeconfigText(text);
  const contextName =
    requestedContext ?? (typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined);
  if (!contextName) {
    throw fieldError('current-context', 'the kubeconfig names no current context; pass `context` to choose one.');
  }
  const context = findNamed(doc, 'contexts', 'context', contextName);
  if (!context) {
    const field = requestedContext ? 'context' : 'current-context';
    throw fieldError(
      field,
      `the kubeconfig has no context named "${truncateBytes(stripControlChars(contextName), 128)}".`,
    );
  }
  checkFields(context.body, CONTEXT_FIELDS, context.path);
  const clusterName = optionalString(context.body, 'cluster', context.path);
  const userName = optionalString(context.body, 'user', context.path);
  if (!clusterName) throw fieldError(`${context.path}.cluster`, 'the context names no cluster.');
  if (!userName) throw fieldError(`${context.path}.user`, 'the context names no user.');

  const cluster = findNamed(doc, 'clusters', 'cluster', clusterName);
  if (!cluster) throw fieldError(`${context.path}.cluster`, `no cluster named "${clusterName}" in clusters.`);
  const user = findNamed(doc, 'users', 'user', userName);
  if (!user) throw fieldError(`${context.path}.user`, `no user named "${userName}" in users.`);
  checkFields(cluster.body, CLUSTER_FIELDS, cluster.path);
  checkFields(user.body, USER_FIELDS, user.path);

  const server = parseServer(cluster.body, cluster.path);
  const insecureSkipTlsVerify = parseSkipVerify(cluster.body, cluster.path);
  const token = optionalString(user.body, 'token', user.path);
  const clientCertData = pemData(user.body, 'client-certificate-data', user.path);
  const clientKeyData = pemData(user.body, 'client-key-data', user.path);
  const username = optionalString(user.body, 'username', user.path);
  const password = optionalString(user.body, 'password', user.path);
  if (Boolean(clientCertData) !== Boolean(clientKeyData)) {
    const missing = clientCertData ? 'client-key-data' : 'client-certificate-data';
    throw fieldError(`${user.path}.${missing}`, 'a client certificate needs both certificate and key data.');
  }
  if (!token && !clientCertData && !(username && password)) {
    throw fieldError(
      user.path,
      `the user has no credentials (token, client certificate data, or username and password). ${REMEDY.token}`,
    );
  }

  const warnings = insecureSkipTlsVerify
    ? [
        `${cluster.path}.insecure-skip-tls-verify is true: the API server's identity was not verified, so the credentials could have been sent to an impostor.`,
      ]
    : [];
  const kubeconfig: SanitizedKubeconfig = {
    server,
    caData: pemData(cluster.body, 'certificate-authority-data', cluster.path),
    tlsServerName: optionalString(cluster.body, 'tls-server-name', cluster.path),
    insecureSkipTlsVerify,
    token,
    clientCertData,
    clientKeyData,
    username,
    password,
    clusterName,
    contextName,
    userName,
    namespace: optionalString(context.body, 'namespace', context.path),
  };
  return { kubeconfig, warnings };
}
