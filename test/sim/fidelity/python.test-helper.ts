/**
 * Runs a probe script of the official Python client (Debian's python3-kubernetes, with the
 * system /usr/bin/python3) against a simulated cluster: the kubeconfig in a temp file, the
 * script's single JSON document on stdout parsed. `.ci/run` installs python3-kubernetes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const python = '/usr/bin/python3';

function probeAvailable(): boolean {
  try {
    execFileSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const hasPythonClient = probeAvailable();

// biome-ignore lint/suspicious/noExplicitAny: the probe's JSON is whatever the script prints
export function runPythonProbe(script: string, kubeconfig: string): Promise<any> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-pyprobe-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kubeconfig, { mode: 0o600 });
  const file = fileURLToPath(new URL(`./python/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [file, path],
      { timeout: 60_000, env: { PATH: process.env.PATH, HOME: dir } },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err) return reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
