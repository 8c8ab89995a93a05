/**
 * `npm run sim -- --kubeconfig-out PATH [options]`: runs the simulated cluster until SIGINT
 * or SIGTERM, so a person can point kubectl or kubeproof at it.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSimCluster } from './index.js';
import { HelpRequested, parseCliOptions, UsageError } from './options.js';

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(e.message);
      process.exit(0);
    }
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  let sim: Awaited<ReturnType<typeof startSimCluster>>;
  try {
    sim = await startSimCluster(options.cluster);
  } catch (e) {
    // A port in use, an etcd that does not answer: a sentence, not a stack trace.
    process.stderr.write(`simulated cluster did not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const out = options.kubeconfigOut ? resolve(options.kubeconfigOut) : undefined;
  if (out) writeFileSync(out, sim.kubeconfig, { mode: 0o600 });
  const curl = `curl -s --cacert <(kubectl --kubeconfig ${out ?? 'KUBECONFIG'} config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d) -H "Authorization: Bearer ${sim.token}"`;
  process.stdout.write(
    [
      `simulated cluster listening at ${sim.url}`,
      out
        ? `kubeconfig written to ${out}   (export KUBECONFIG=${out})`
        : 'no --kubeconfig-out given; kubeconfig:\n' + sim.kubeconfig,
      `profile: ${options.cluster.profile ?? 'kthw'}`,
      `faults on: ${sim.faults.list().join(', ') || 'none'}`,
      'toggle faults at run time:',
      `  ${curl} -X POST ${sim.controlUrl}/__sim/faults -d '{"enable":"coredns-down"}'`,
      `  ${curl} -X POST ${sim.controlUrl}/__sim/faults -d '{"disable":"coredns-down"}'`,
      `  ${curl} ${sim.controlUrl}/__sim/accounting`,
      `(the control endpoint has its own port, ${sim.controlUrl}, so it stays up while apiserver-unreachable is on;`,
      ` ${sim.url}/__sim/... answers too while the API server is up)`,
      'press Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  const shutdown = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
