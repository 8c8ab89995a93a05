/**
 * Finds and merges the user's kubeconfig the way kubectl does (client-go
 * tools/clientcmd/loader.go, `ClientConfigLoadingRules.Load`):
 * - `--kubeconfig FILE`: that file only, no merging; a missing file is an error;
 * - else `KUBECONFIG`: a `:`-separated list, merged; empty entries and missing files are ignored;
 * - else `~/.kube/config`;
 * - else, inside a pod, the in-cluster configuration (client-go rest/config.go `InClusterConfig`:
 *   `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the ServiceAccount token and CA
 *   under /var/run/secrets/kubernetes.io/serviceaccount), as kubectl does in a pod.
 * Merging: the first file to set a map key (a cluster, user or context name) wins and that entry
 * is never changed; `current-context` is the first one set. Relative paths inside a file
 * (certificate files, token files, a credential plugin's command with a path separator) are
 * resolved against that file's directory, which is why each entry remembers where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../args.js';

type Entry = Record<string, unknown>;

/** One named cluster, user or context, with the directory its relative paths are read from. */
export interface NamedEntry {
  name: string;
  body: Entry;
  dir: string;
  file: string;
}

export interface LoadedKubeconfig {
  /** The files read, in precedence order. */
  files: string[];
  currentContext: string | undefined;
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
}

export interface KubeconfigLocation {
  /** `--kubeconfig` */
  explicit?: string;
  env: Record<string, string | undefined>;
  home?: string;
  /** Where a pod's ServiceAccount credentials are mounted (tests point it elsewhere). */
  serviceAccountDir?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster configuration as one merged kubeconfig with context `in-cluster`, when in a pod. */
function inCluster(where: KubeconfigLocation): LoadedKubeconfig | undefined {
  const host = where.env.KUBERNETES_SERVICE_HOST;
  const port = where.env.KUBERNETES_SERVICE_PORT;
  const dir = where.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (!host || !port || !existsSync(join(dir, 'token'))) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const file = join(dir, 'token');
  const entry = (name: string, body: Entry): NamedEntry => ({ name, body, dir, file });
  let namespace: string | undefined;
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    namespace = undefined;
  }
  return {
    files: [`in-cluster (${dir})`],
    currentContext: 'in-cluster',
    clusters: new Map([['in-cluster', entry('in-cluster', { server, 'certificate-authority': 'ca.crt' })]]),
    users: new Map([['in-cluster', entry('in-cluster', { tokenFile: 'token' })]]),
    contexts: new Map([
      [
        'in-cluster',
        entry('in-cluster', { cluster: 'in-cluster', user: 'in-cluster', ...(namespace ? { namespace } : {}) }),
      ],
    ]),
  };
}

/** The files to read, in precedence order, and whether a missing one is an error. */
export function kubeconfigFiles(where: KubeconfigLocation): { files: string[]; mustExist: boolean; origin: string } {
  if (where.explicit) return { files: [resolve(where.explicit)], mustExist: true, origin: '--kubeconfig' };
  const list = where.env.KUBECONFIG;
  if (list !== undefined && list.trim() !== '') {
    const files = list
      .split(delimiter)
      .filter((f) => f.trim() !== '')
      .map((f) => resolve(f));
    return { files: [...new Set(files)], mustExist: false, origin: 'KUBECONFIG' };
  }
  const home = where.home ?? where.env.HOME ?? homedir();
  return { files: [join(home, '.kube', 'config')], mustExist: true, origin: '~/.kube/config' };
}

function readDoc(file: string, mustExist: boolean, origin: string): Entry | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new UsageError(`${origin}: cannot read kubeconfig ${file}: ${why}`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50 });
  } catch (err) {
    // The parser's message quotes the line, which may hold a token: say where only.
    const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new UsageError(`${origin}: ${file} is not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${origin}: ${file} is not a kubeconfig`);
  return doc as Entry;
}

function addNamed(into: Map<string, NamedEntry>, list: unknown, inner: string, file: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const { name, [inner]: body } = item as Entry;
    if (typeof name !== 'string' || into.has(name)) continue; // first file wins
    into.set(name, { name, body: body && typeof body === 'object' ? (body as Entry) : {}, dir: dirname(file), file });
  }
}

/**
 * Reads and merges the kubeconfig files. Throws UsageError when nothing readable is found.
 * @example loadKubeconfig({ env: process.env }).currentContext
 */
export function loadKubeconfig(where: KubeconfigLocation): LoadedKubeconfig {
  const { files, mustExist, origin } = kubeconfigFiles(where);
  if (origin === '~/.kube/config' && !existsSync(files[0] ?? '')) {
    const pod = inCluster(where);
    if (pod) return pod;
  }
  const loaded: LoadedKubeconfig = {
    files: [],
    currentContext: undefined,
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  for (const file of files) {
    const doc = readDoc(file, mustExist, origin);
    if (!doc) continue;
    loaded.files.push(file);
    const current = doc['current-context'];
    if (loaded.currentContext === undefined && typeof current === 'string' && current !== '')
      loaded.currentContext = current;
    addNamed(loaded.clusters, doc.clusters, 'cluster', file);
    addNamed(loaded.users, doc.users, 'user', file);
    addNamed(loaded.contexts, doc.contexts, 'context', file);
  }
  if (loaded.files.length === 0)
    throw new UsageError(`KUBECONFIG: none of its files exists (${files.join(', ')}); give --kubeconfig FILE`);
  return loaded;
}
