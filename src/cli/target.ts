/**
 * Where an audit runs: a kubeproof service at `--server`, or the same service built in this
 * process on an in-memory database (no listener: requests go straight to `app.request`).
 */

import { messageOf } from '../kernel/text.js';
import { type AuditArgs, UsageError } from './args.js';
import type { Fetch } from './client.js';

export interface Target {
  fetch: Fetch;
  /** Base URL requests are made against. */
  base: string;
  /** Said in the progress output: `in-process` or the service URL. */
  where: string;
  inProcess: boolean;
  close(): Promise<void>;
}

/** Environment variables the in-process service honours (the rest of the service's configuration has no meaning here). */
const IN_PROCESS_ENV = ['KUBEPROOF_ALLOWED_TARGETS', 'KUBEPROOF_AUDIT_DEADLINE_SECONDS', 'KUBEPROOF_RUNBOOK'] as const;

/**
 * The in-process service. Loaded only here, so `--server` mode and `--help` never load the
 * database driver (a native module) or the Kubernetes client.
 */
export async function inProcessTarget(env: Record<string, string | undefined>): Promise<Target> {
  let modules: [typeof import('../service.js'), typeof import('../config.js')];
  try {
    modules = await Promise.all([import('../service.js'), import('../config.js')]);
  } catch (err) {
    const message = messageOf(err);
    if (/better_sqlite3|better-sqlite3|bindings file/i.test(message)) {
      throw new UsageError(
        'in-process mode needs the better-sqlite3 native module, which was not built when kubeproof was installed ' +
          '(install scripts were skipped). Reinstall with `npm install -g --allow-scripts=better-sqlite3 kubeproof`, ' +
          'or audit through a service with --server URL.',
      );
    }
    throw err;
  }
  const [{ createService }, { loadConfig, ConfigError }] = modules;
  const serviceEnv: Record<string, string> = { KUBEPROOF_DB: ':memory:', HOST: '127.0.0.1', PORT: '0' };
  for (const name of IN_PROCESS_ENV) {
    const value = env[name];
    if (value !== undefined) serviceEnv[name] = value;
  }
  let service: ReturnType<typeof createService>;
  try {
    // The user's own process, in the user's trust domain: loopback clusters (kind, k3d, the
    // simulation) are allowed, as the developer set-up of the service allows them.
    service = createService(loadConfig(serviceEnv), { writeLog: () => {} });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  return {
    fetch: async (input, init) => service.app.request(input, init),
    base: 'http://in-process.kubeproof',
    where: 'in-process',
    inProcess: true,
    close: () => service.close(),
  };
}

/** The service at `--server`. */
export function remoteTarget(args: AuditArgs, fetch: Fetch): Target {
  const base = args.server ?? '';
  return { fetch, base, where: base, inProcess: false, close: async () => {} };
}
