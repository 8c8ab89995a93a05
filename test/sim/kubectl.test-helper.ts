/**
 * Runs the real /usr/bin/kubectl against a simulated cluster (tests only). KUBECONFIG, HOME
 * and the discovery cache point into a temp dir, so nothing outside it is read or written.
 *
 * @example
 * const k = createKubectl(sim.kubeconfig);
 * expect(await k.ok(['get', 'nodes'])).toContain('Ready');
 * k.dispose();
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlPath = '/usr/bin/kubectl';
export const hasKubectl = existsSync(kubectlPath);

/** Seed 000's manifest (step 1), verbatim. */
export const seedManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.k8s.io/e2e-test-images/agnhost:2.52
          args: ["netexec", "--http-port=8080"]
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;

export interface KubectlRun {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Kubectl {
  /** The environment kubectl runs with (for spawning it yourself, e.g. `get -w`). */
  env: NodeJS.ProcessEnv;
  /** `extraEnv` adds variables for this run only (e.g. KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false). */
  run(args: string[], stdin?: string, extraEnv?: NodeJS.ProcessEnv): Promise<KubectlRun>;
  /** Runs kubectl and fails with its output unless it exits 0; returns stdout. */
  ok(args: string[], stdin?: string): Promise<string>;
  /** Re-runs a kubectl read until its stdout satisfies the condition, or fails at the deadline. */
  eventually(args: string[], condition: (stdout: string) => boolean, deadlineMs?: number): Promise<string>;
  dispose(): void;
}

/** What a failed expectation shows: the command and everything it printed. */
export const describeRun = (args: string[], r: KubectlRun) =>
  `kubectl ${args.join(' ')}\nexit: ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

export function createKubectl(kubeconfigYaml: string): Kubectl {
  const home = mkdtempSync(join(tmpdir(), 'kubeproof-kubectl-'));
  const kubeconfig = join(home, 'config');
  writeFileSync(kubeconfig, kubeconfigYaml, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(home, 'cache'),
  };

  const run = (args: string[], stdin?: string, extraEnv?: NodeJS.ProcessEnv): Promise<KubectlRun> =>
    new Promise((resolve) => {
      const options = { env: { ...env, ...extraEnv }, timeout: 30_000 };
      const child = execFile(kubectlPath, args, options, (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ stdout, stderr, code });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });

  return {
    env,
    run,
    async ok(args, stdin) {
      const r = await run(args, stdin);
      if (r.code !== 0) throw new Error(`expected exit 0:\n${describeRun(args, r)}`);
      return r.stdout;
    },
    async eventually(args, condition, deadlineMs = 15_000) {
      const until = Date.now() + deadlineMs;
      let last: KubectlRun = { stdout: '', stderr: '', code: 0 };
      while (Date.now() < until) {
        last = await run(args);
        if (condition(last.stdout)) return last.stdout;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`never satisfied the condition; last run:\n${describeRun(args, last)}`);
    },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** The rows of a kubectl table (header dropped), each split into its columns. */
export const rows = (table: string) =>
  table
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));

/**
 * One simulated cluster and one kubectl for a test file (started in beforeAll, stopped in
 * afterAll), with `namespace` created when given. Read `ctx.sim` and `ctx.k` inside tests.
 */
export function kubectlSimPerFile(
  hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void },
  start: () => Promise<{ kubeconfig: string; stop(): Promise<void> }>,
  namespace?: string,
): { sim: { kubeconfig: string; stop(): Promise<void> }; k: Kubectl } {
  const ctx = {} as { sim: { kubeconfig: string; stop(): Promise<void> }; k: Kubectl };
  hooks.beforeAll(async () => {
    ctx.sim = await start();
    ctx.k = createKubectl(ctx.sim.kubeconfig);
    if (hasKubectl && namespace) await ctx.k.ok(['create', 'namespace', namespace]);
  });
  hooks.afterAll(async () => {
    ctx.k?.dispose();
    await ctx.sim?.stop();
  });
  return ctx;
}
