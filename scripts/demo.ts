/**
 * `npm run demo`: what a newcomer without a cluster runs to see kubeproof work.
 * Starts a simulated cluster (optionally broken: `npm run demo -- --fault kube-proxy-no-balance`;
 * Secrets stored unencrypted, as `npm run sim` and a kubeadm cluster out of the box do, unless
 * `--encryption PROVIDER[:KEY]` is given),
 * starts the service on a temporary database, audits the cluster with the `kubeproof` CLI as a
 * pipeline would, and prints the report. Exits with the CLI's code (0 passed, 1 failed, 2 error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/audit.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { parseFault, UnknownFaultError } from '../test/sim/faults.js';
import { startSimCluster } from '../test/sim/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../test/sim/storage/providers.js';
import { scriptArgs } from './script-args.js';

const USAGE = `Usage: npm run demo -- [--fault NAME]... [--encryption PROVIDER[:KEY]] [--format FORMAT]

Starts a simulated cluster and the service, audits the cluster with the kubeproof CLI and prints the report.
  --fault NAME                 break the cluster (repeatable; npm run sim -- --help lists the faults)
  --encryption PROVIDER[:KEY]  encrypt Secrets at rest (${PROVIDER_NAMES.join(', ')}); default: off, as in
                               npm run sim, so secrets.encryption fails — e.g. --encryption aescbc:key1
  --format FORMAT              text | json | junit | markdown (default text)
Exit status: the CLI's (0 passed, 1 failed, 2 could not tell, 3 usage).`;

const values = scriptArgs(USAGE, {
  fault: { type: 'string', multiple: true, default: [] },
  encryption: { type: 'string' },
  format: { type: 'string', default: 'text' },
});

const workdir = mkdtempSync(join(tmpdir(), 'kubeproof-demo-'));
const [provider = '', keyName] = (values.encryption ?? '').split(':');
if (values.encryption !== undefined && !PROVIDER_NAMES.includes(provider as ProviderName)) {
  process.stderr.write(`--encryption: unknown provider "${provider}"; one of ${PROVIDER_NAMES.join(', ')}\n`);
  process.exit(3);
}
let faults: ReturnType<typeof parseFault>['spec'][];
try {
  faults = values.fault.map((spec) => parseFault(spec).spec);
} catch (e) {
  if (!(e instanceof UnknownFaultError)) throw e;
  process.stderr.write(`--fault: ${e.message}\n`);
  process.exit(3);
}
const sim = await startSimCluster({
  faults,
  ...(values.encryption ? { encryption: { provider: provider as ProviderName, ...(keyName ? { keyName } : {}) } } : {}),
});
const service = await startServer(
  loadConfig({ PORT: '0', HOST: '127.0.0.1', KUBEPROOF_DB: join(workdir, 'demo.db') }),
  {
    writeLog: () => undefined,
  },
);
try {
  // The kubeconfig file stands for the one a pipeline holds; the service never writes it anywhere.
  const kubeconfigPath = join(workdir, 'kubeconfig');
  writeFileSync(kubeconfigPath, sim.kubeconfig, { mode: 0o600 });
  const faults = values.fault.length > 0 ? ` with fault(s) ${values.fault.join(', ')}` : '';
  const encryption = values.encryption
    ? `Secrets encrypted at rest with ${values.encryption}`
    : 'Secrets not encrypted at rest, as in `npm run sim` (--encryption aescbc:key1 turns it on)';
  process.stderr.write(
    `simulated cluster at ${sim.url}${faults}; ${encryption}; kubeproof at http://127.0.0.1:${service.port}\n`,
  );
  process.exitCode = await runCli(
    [
      'audit',
      '--kubeconfig',
      kubeconfigPath,
      '--server',
      `http://127.0.0.1:${service.port}`,
      '--format',
      values.format,
    ],
    {
      fetch: (input, init) => fetch(input, init),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: {},
      isTTY: process.stderr.isTTY === true,
    },
  );
} finally {
  await service.stop();
  await sim.stop();
  rmSync(workdir, { recursive: true, force: true });
}
