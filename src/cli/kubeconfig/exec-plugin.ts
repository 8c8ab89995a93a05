/**
 * Runs a kubeconfig's exec credential plugin as kubectl does, on the user's machine and in the
 * user's trust domain (never in the service: the service refuses `exec`). Protocol from client-go
 * plugin/pkg/client/auth/exec/exec.go: the command with its args, the kubeconfig's `env` added to
 * ours, `KUBERNETES_EXEC_INFO` holding an ExecCredential with `spec.interactive` (and the cluster
 * when `provideClusterInfo`); the plugin prints an ExecCredential whose `status` carries a
 * `token` or a PEM `clientCertificateData` + `clientKeyData`.
 */
import { spawn } from 'node:child_process';
import { isAbsolute, join, sep } from 'node:path';
import { UsageError } from '../args.js';

export interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

export interface ExecResult {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

/** The credential plugin could not give credentials: the user's set-up, said as kubectl says it. */
export class CredentialPluginError extends UsageError {}

const PLUGIN_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 1 << 20;

/**
 * Runs the plugin and returns its credential.
 * @param dir the kubeconfig file's directory (a command with a path separator is relative to it)
 * @param cluster what `provideClusterInfo` passes on (server, CA, TLS name)
 */
export async function runExecPlugin(
  exec: ExecConfig,
  dir: string,
  cluster: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Promise<ExecResult> {
  const command = exec.command;
  if (!command) throw new CredentialPluginError('users[].user.exec.command is empty');
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  // client-go resolves a command with a path separator against the kubeconfig's folder; a bare name via PATH.
  const file = command.includes(sep) && !isAbsolute(command) ? join(dir, command) : command;
  const info = {
    apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster } : {}) },
  };
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  for (const e of exec.env ?? []) if (e && typeof e.name === 'string') childEnv[e.name] = String(e.value ?? '');
  childEnv.KUBERNETES_EXEC_INFO = JSON.stringify(info);

  const { code, stdout, stderr, error } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    error?: NodeJS.ErrnoException;
  }>((done) => {
    const child = spawn(file, exec.args ?? [], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), PLUGIN_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      if (out.length < MAX_OUTPUT) out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      if (err.length < MAX_OUTPUT) err += c;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ code: null, stdout: out, stderr: err, error: e });
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      done({ code: c, stdout: out, stderr: err });
    });
  });
  const name = `exec plugin "${command}"`;
  if (error) {
    const hint = exec.installHint ? `\n${exec.installHint.trim()}` : '';
    throw new CredentialPluginError(
      error.code === 'ENOENT' ? `${name} not found${hint}` : `${name} could not run: ${error.code ?? error.message}`,
    );
  }
  const lastLines = stderr.trim().split('\n').slice(-3).join('\n');
  if (code !== 0) throw new CredentialPluginError(`${name} exited ${code}${lastLines ? `: ${lastLines}` : ''}`);
  let parsed: { kind?: string; status?: ExecResult };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CredentialPluginError(`${name} did not print an ExecCredential (its output is not JSON)`);
  }
  const status = parsed?.status;
  if (parsed?.kind !== 'ExecCredential' || !status || typeof status !== 'object')
    throw new CredentialPluginError(`${name} printed no ExecCredential status`);
  if (!status.token && !(status.clientCertificateData && status.clientKeyData))
    throw new CredentialPluginError(`${name} returned neither a token nor a client certificate and key`);
  return status;
}
