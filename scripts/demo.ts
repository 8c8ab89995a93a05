/**
 * `npm run demo`: what a newcomer without a cluster runs to see kubeproof work.
 * Starts a simulated cluster (optionally broken: `npm run demo -- --fault kube-proxy-no-balance`;
 * Secrets encrypted with aescbc unless `--encryption identity` or another provider is given),
 * starts the service on a temporary database, audits the cluster with the `kubeproof` CLI as a
 * pipeline would, and prints the report. Exits with the CLI's code (0 passed, 1 failed, 2 error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../src/cli/audit.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { parseFault, UnknownFaultError } from '../test/sim/faults.js';
import { startSimCluster } from '../test/sim/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../test/sim/storage/providers.js';

const { values } = parseArgs({
  options: {
    fault: { type: 'string', multiple: true, default: [] },
    encryption: { type: 'string', default: 'aescbc:key1' },
    format: { type: 'string', default: 'text' },
  },
});

const workdir = mkdtempSync(join(tmpdir(), 'kubeproof-demo-'));
const [provider = 'aescbc', keyName] = values.encryption.split(':');
if (!PROVIDER_NAMES.includes(provider as ProviderName)) {
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
  encryption: { provider: provider as ProviderName, keyName },
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
  process.stderr.write(`simulated cluster at ${sim.url}${faults}; kubeproof at http://127.0.0.1:${service.port}\n`);
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
    },
  );
} finally {
  await service.stop();
  await sim.stop();
  rmSync(workdir, { recursive: true, force: true });
}
