/**
 * The deployment recipes under deploy/: every manifest passes an offline schema check (the
 * official Python client's models, see schema_check.py); the kinds the simulated cluster serves
 * pass `kubectl apply --dry-run=server` against it and are then applied for real; the CronJob's
 * command line is one the CLI accepts, aimed at the Service the manifests define.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseAuditArgs } from '../../src/cli/args.js';
import { CliFixture } from '../cli/support.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEPLOY = join(REPO, 'deploy');
const run = promisify(execFile);

// Manifests are read as plain YAML; the schema check below is what types them.
// biome-ignore lint/suspicious/noExplicitAny: arbitrary manifest bodies, navigated by the assertions
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any };
const manifests: Manifest[] = readdirSync(DEPLOY)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, f), 'utf8')).map((d) => d.toJS() as Manifest));
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);

/** Kinds the simulated API server serves (test/sim/store/resources.ts). */
const SIM_KINDS = new Set(['Namespace', 'ServiceAccount', 'Deployment', 'Service']);

const fx = new CliFixture();
afterAll(() => fx.close());

describe('deploy/ manifests', () => {
  it('hold what the recipe promises', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      [
        'CronJob',
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'PersistentVolumeClaim',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const pod = byKind('Deployment')[0]!.spec.template.spec;
    const container = pod.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe(byKind('PersistentVolumeClaim')[0]!.metadata.name);
  });

  it('pass the offline schema check (python3-kubernetes models)', async () => {
    const child = execFile('/usr/bin/python3', [join(REPO, 'test/deploy/schema_check.py')]);
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
    });
    child.stdin?.end(JSON.stringify(manifests));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toBe('');
    expect(code).toBe(0);
  });

  it('the schema check turns red on a misspelt field', async () => {
    const broken = structuredClone(byKind('Deployment')[0]!);
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    const child = execFile('/usr/bin/python3', [join(REPO, 'test/deploy/schema_check.py')]);
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
    });
    child.stdin?.end(JSON.stringify([broken]));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(out).toContain('readinesProbe: not a field of this kind');
  });

  it('kubectl apply --dry-run=server, then for real, on the simulated cluster for the kinds it serves', async () => {
    const sim = await fx.sim();
    const kubeconfig = fx.write('deploy.kubeconfig', sim.kubeconfig);
    const env = { ...process.env, KUBECONFIG: kubeconfig };
    const apply = async (name: string, docs: Manifest[], ...flags: string[]) => {
      const file = fx.write(name, docs.map((m) => stringify(m)).join('---\n'));
      const { stdout } = await run('kubectl', ['apply', ...flags, '-f', file], { env });
      for (const m of docs)
        expect(stdout).toContain(`${m.metadata.name} created${flags.length ? ' (server dry run)' : ''}`);
    };
    // As on a real API server, objects in a namespace that does not exist yet are refused even in a
    // dry run (NamespaceLifecycle admission): the Namespace goes first.
    const namespaces = byKind('Namespace');
    const namespaced = manifests.filter((m) => SIM_KINDS.has(m.kind) && m.kind !== 'Namespace');
    await apply('ns.yaml', namespaces, '--dry-run=server');
    await apply('ns.yaml', namespaces);
    await apply('served.yaml', namespaced, '--dry-run=server');
    await apply('served.yaml', namespaced);
    const got = await run('kubectl', ['get', 'deployment', 'kubeproof', '-n', 'kubeproof', '-o', 'json'], { env });
    expect(JSON.parse(got.stdout).spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
  });

  it("the CronJob runs a command line the CLI accepts, against the manifests' Service", () => {
    const container = byKind('CronJob')[0]!.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'dist/cli/index.js']);
    const args = parseAuditArgs(container.args.slice(1), {});
    const service = byKind('Service')[0]!;
    expect(args.server).toBe(
      `http://${service.metadata.name}.${service.metadata.namespace}.svc:${service.spec.ports[0].port}`,
    );
    expect(byKind('CronJob')[0]!.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('kubeproof');
  });
});
