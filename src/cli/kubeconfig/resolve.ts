/**
 * Turns the user's kubeconfig into the self-contained one kubeproof's intake accepts: one
 * context, its cluster and user, every file read and inlined (`*-data`), a token file read into
 * `token`, an exec plugin run here (the user's machine, as kubectl would) and replaced by the
 * token or certificate it returned. The service receiving this never runs a plugin or reads a file.
 * Fields kubeproof does not support (proxy-url, impersonation) are passed on for the intake to
 * refuse with its own message and way forward.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../args.js';
import { type ExecConfig, runExecPlugin } from './exec-plugin.js';
import type { LoadedKubeconfig, NamedEntry } from './load.js';

type Entry = Record<string, unknown>;

export interface ResolvedKubeconfig {
  /** YAML text: one cluster, one user, one context, current-context set. */
  text: string;
  contextName: string;
  server: string;
  /** How the credentials were obtained, for the progress output (never the credentials). */
  credentialSource: string;
}

function readInline(entry: NamedEntry, field: string, what: string): string {
  const value = entry.body[field];
  if (typeof value !== 'string' || value === '') throw new UsageError(`${what}: ${field} is empty`);
  const path = isAbsolute(value) ? value : join(entry.dir, value);
  try {
    return readFileSync(path).toString('base64');
  } catch (err) {
    throw new UsageError(
      `${what}: cannot read ${field} ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}) named in ${entry.file}`,
    );
  }
}

/** Replaces a file field by its `-data` twin (base64 of the file), as `kubectl config view --flatten` does. */
function inlineFile(entry: NamedEntry, body: Entry, field: string, what: string): void {
  if (body[field] === undefined) return;
  if (body[`${field}-data`] === undefined) body[`${field}-data`] = readInline(entry, field, what);
  delete body[field];
}

/**
 * Selects the context (`--context`, else current-context) and resolves its credentials.
 * @example const { text } = await resolveKubeconfig(loadKubeconfig({ env }), undefined, env)
 */
export async function resolveKubeconfig(
  loaded: LoadedKubeconfig,
  contextFlag: string | undefined,
  env: Record<string, string | undefined>,
): Promise<ResolvedKubeconfig> {
  const contextName = contextFlag ?? loaded.currentContext;
  const from = loaded.files.join(':');
  if (!contextName) throw new UsageError(`no current-context in ${from}; give --context NAME`);
  const context = loaded.contexts.get(contextName);
  if (!context) {
    const known = [...loaded.contexts.keys()];
    throw new UsageError(
      `context "${contextName}" not found in ${from}${known.length ? ` (contexts: ${known.join(', ')})` : ''}`,
    );
  }
  const clusterName = context.body.cluster;
  const userName = context.body.user;
  const cluster = typeof clusterName === 'string' ? loaded.clusters.get(clusterName) : undefined;
  if (!cluster) throw new UsageError(`context "${contextName}": cluster "${String(clusterName)}" not found in ${from}`);
  const user = typeof userName === 'string' ? loaded.users.get(userName) : undefined;
  if (userName !== undefined && userName !== '' && !user)
    throw new UsageError(`context "${contextName}": user "${String(userName)}" not found in ${from}`);

  const clusterBody: Entry = { ...cluster.body };
  inlineFile(cluster, clusterBody, 'certificate-authority', `cluster "${cluster.name}"`);
  const server = typeof clusterBody.server === 'string' ? clusterBody.server : '';
  if (!server) throw new UsageError(`cluster "${cluster.name}" has no server URL`);

  const userBody: Entry = { ...(user?.body ?? {}) };
  let credentialSource = 'kubeconfig';
  if (user) {
    const what = `user "${user.name}"`;
    inlineFile(user, userBody, 'client-certificate', what);
    inlineFile(user, userBody, 'client-key', what);
    if (userBody.tokenFile !== undefined) {
      if (userBody.token === undefined)
        userBody.token = Buffer.from(readInline(user, 'tokenFile', what), 'base64')
          .toString('utf8')
          .trim();
      delete userBody.tokenFile;
    }
    if (userBody['auth-provider'] !== undefined) {
      throw new UsageError(
        `${what}: auth-provider plugins are gone from kubectl (1.26); use the provider's exec plugin (e.g. gke-gcloud-auth-plugin, kubelogin)`,
      );
    }
    if (userBody.exec !== undefined) {
      const exec = userBody.exec as ExecConfig;
      const info = {
        server,
        ...(clusterBody['certificate-authority-data']
          ? { 'certificate-authority-data': clusterBody['certificate-authority-data'] }
          : {}),
        ...(clusterBody['tls-server-name'] ? { 'tls-server-name': clusterBody['tls-server-name'] } : {}),
        ...(clusterBody['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
      };
      const status = await runExecPlugin(exec, user.dir, info, env);
      delete userBody.exec;
      if (status.token) userBody.token = status.token;
      else {
        userBody['client-certificate-data'] = Buffer.from(status.clientCertificateData ?? '').toString('base64');
        userBody['client-key-data'] = Buffer.from(status.clientKeyData ?? '').toString('base64');
      }
      credentialSource = `exec plugin ${exec.command}${status.expirationTimestamp ? ` (expires ${status.expirationTimestamp})` : ''}`;
    }
  }
  const contextBody: Entry = { ...context.body };
  const text = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: clusterBody }],
    users: [{ name: user?.name ?? 'anonymous', user: userBody }],
    contexts: [{ name: contextName, context: { ...contextBody, user: user?.name ?? 'anonymous' } }],
    'current-context': contextName,
  });
  return { text, contextName, server, credentialSource };
}
