/**
 * Drives the real /usr/bin/kubectl against the simulated cluster through seed 000's smoke
 * test and asserts on what kubectl prints. KUBECONFIG and HOME point into a temp dir, so
 * nothing outside it is read or written.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from './index.js';
import { createKubectl, hasKubectl, type Kubectl, kubectlPath, rows, seedManifest } from './kubectl.test-helper.js';
import { freeLoopbackPort, httpGet, startPortForward } from './kubectl-port-forward.test-helper.js';

let sim: SimCluster;
let k: Kubectl;
const kubectl = (args: string[], stdin?: string) => k.run(args, stdin);
const ok = (args: string[], stdin?: string) => k.ok(args, stdin);
const eventually = (args: string[], condition: (stdout: string) => boolean) => k.eventually(args, condition);

beforeAll(async () => {
  sim = await startSimCluster({ latencies: { podStartMs: 20, endpointDelayMs: 10, dnsLatencyMs: 0 } });
  k = createKubectl(sim.kubeconfig);
});

afterAll(async () => {
  await sim?.stop();
  k?.dispose();
});

describe.runIf(hasKubectl)('kubectl against the simulated cluster (seed 000)', () => {
  it('reports a v1.32 server', async () => {
    expect(await ok(['version'])).toMatch(/Server Version: v1\.32\.\d+/);
  });

  it('lists a control-plane node and two workers, Ready, with InternalIPs', async () => {
    const out = await ok(['get', 'nodes', '-o', 'wide']);
    expect(out).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME\n/,
    );
    const nodes = rows(out);
    expect(nodes, out).toHaveLength(3);
    expect(
      nodes.filter((n) => n[2] === 'control-plane'),
      out,
    ).toHaveLength(1);
    for (const n of nodes) expect(n[1], out).toBe('Ready');
  });

  it('creates a namespace, labels, patches and deletes objects with the usual messages', async () => {
    expect(await ok(['create', 'namespace', 'scratch'])).toBe('namespace/scratch created\n');
    expect(await ok(['create', 'configmap', 'settings', '-n', 'scratch', '--from-literal=a=1'])).toBe(
      'configmap/settings created\n',
    );
    expect(await ok(['label', 'configmap', 'settings', '-n', 'scratch', 'tier=front'])).toBe(
      'configmap/settings labeled\n',
    );
    expect(await ok(['patch', 'configmap', 'settings', '-n', 'scratch', '-p', '{"data":{"b":"2"}}'])).toBe(
      'configmap/settings patched\n',
    );
    expect(
      await ok(['get', 'configmap', 'settings', '-n', 'scratch', '-o', 'jsonpath={.data.b} {.metadata.labels.tier}']),
    ).toBe('2 front');
    expect(await ok(['delete', 'configmap', 'settings', '-n', 'scratch'])).toBe('configmap "settings" deleted\n');
    const missing = await kubectl(['get', 'configmap', 'settings', '-n', 'scratch']);
    expect(missing.stderr).toBe('Error from server (NotFound): configmaps "settings" not found\n');
  });

  it('creates objects kubectl sends as protobuf, and server-side applies', async () => {
    expect(
      await ok(['create', 'deployment', 'proto', '-n', 'scratch', '--image=nginx:1.27', '--replicas=2', '--port=80']),
    ).toBe('deployment.apps/proto created\n');
    const spec = JSON.parse(await ok(['get', 'deploy', 'proto', '-n', 'scratch', '-o', 'jsonpath={.spec}']));
    expect(spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'proto' } },
      strategy: { type: 'RollingUpdate' },
    });
    expect(spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(await ok(['create', 'secret', 'generic', 'creds', '-n', 'scratch', '--from-literal=password=s3cret'])).toBe(
      'secret/creds created\n',
    );
    expect(await ok(['get', 'secret', 'creds', '-n', 'scratch', '-o', 'jsonpath={.data.password}'])).toBe(
      Buffer.from('s3cret').toString('base64'),
    );
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: scratch\ndata:\n  k: v1\n';
    expect(await ok(['apply', '--server-side', '-f', '-'], cm)).toBe('configmap/applied serverside-applied\n');
    await ok(['apply', '--server-side', '-f', '-'], cm.replace('k: v1', 'k: v2'));
    expect(await ok(['get', 'configmap', 'applied', '-n', 'scratch', '-o', 'jsonpath={.data.k}'])).toBe('v2');
  });

  it('answers auth can-i, and says no for a permission removed by rbac-missing', async () => {
    const canExec = ['auth', 'can-i', 'create', 'pods', '--subresource=exec'];
    expect(await ok(canExec)).toBe('yes\n');
    sim.faults.enable('rbac-missing:create:pods/exec');
    try {
      const denied = await kubectl(canExec);
      expect(denied.stdout, denied.stderr).toMatch(/^no/);
      expect(denied.code).toBe(1);
    } finally {
      sim.faults.disable('rbac-missing:create:pods/exec');
    }
  });

  it('applies the seed manifest and rolls the deployment out', async () => {
    expect(await ok(['apply', '-f', '-'], seedManifest)).toBe('deployment.apps/web created\nservice/web created\n');
    expect(await ok(['rollout', 'status', 'deploy/web', '--timeout=30s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    expect(await ok(['apply', '-f', '-'], seedManifest)).toBe('deployment.apps/web unchanged\nservice/web unchanged\n');
    const deploy = await ok(['get', 'deploy']);
    expect(deploy).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3\s+3\s+3\s+\d+s\n$/);
  });

  it('shows three Running pods spread over both workers with pod IPs', async () => {
    const out = await ok(['get', 'pods', '-l', 'app=web', '-o', 'wide']);
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    const pods = rows(out);
    expect(pods, out).toHaveLength(3);
    for (const p of pods) {
      expect(p[0], out).toMatch(/^web-[a-z0-9]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.slice(1, 4), out).toEqual(['1/1', 'Running', '0']);
      expect(p[5], out).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    expect(new Set(pods.map((p) => p[6])).size, out).toBe(2);
  });

  it('gathers the pod IPs in the web EndpointSlice', async () => {
    const ips = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}']))
      .split(' ')
      .sort();
    const out = await eventually(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'], (s) =>
      ips.every((ip) => s.includes(ip)),
    );
    expect(out).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nweb-[a-z0-9]{5}\s+IPv4\s+8080\s+\S+\s+\d+s\n$/);
  });

  it('reaches the service by name from a client pod, landing on more than one pod', async () => {
    expect(
      await ok(['run', 'client', '--image=busybox:1.36', '--restart=Never', '--command', '--', 'sleep', '3600']),
    ).toBe('pod/client created\n');
    await ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=30s']);
    const names = (
      await ok([
        'exec',
        'client',
        '--',
        'sh',
        '-c',
        'for i in 1 2 3 4 5 6; do wget -qO- http://web/hostname; echo; done',
      ])
    )
      .trim()
      .split('\n');
    const pods = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    expect(names, names.join('\n')).toHaveLength(6);
    for (const n of names) expect(pods, names.join('\n')).toContain(n);
    expect(new Set(names).size, names.join('\n')).toBeGreaterThan(1);
  });

  it('resolves the service FQDN to its ClusterIP with nslookup', async () => {
    const clusterIp = await ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const out = (await kubectl(['exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local'])).stdout;
    expect(out).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIp}\n`);
  });

  it('reads a web pod log and runs hostname in it', async () => {
    const pod = await ok(['get', 'pod', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const logs = await ok(['logs', pod, '--tail=3']);
    const lines = logs.trim().split('\n');
    expect(lines.length, logs).toBeGreaterThan(0);
    for (const l of lines) expect(l, logs).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6}\s+1 log\.go:\d+\] /);
    expect(await ok(['exec', pod, '--', 'hostname'])).toBe(`${pod}\n`);
  });

  it('port-forwards svc/web to the laptop and curls /hostname through it (seed step 4)', async () => {
    // The seed uses 18080; a free loopback port keeps parallel test files apart.
    const port = await freeLoopbackPort();
    const forward = startPortForward(k, ['svc/web', `${port}:80`]);
    try {
      await forward.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 8080\n`));
      const reply = await httpGet(port, '/hostname');
      const pods = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
      expect(reply.status).toBe(200);
      expect(pods, reply.body).toContain(reply.body);
      await forward.waitFor(new RegExp(`Handling connection for ${port}\n`));
      expect(forward.output().stderr).toBe('');
    } finally {
      await forward.stop();
    }
  });

  it('replaces a deleted pod', async () => {
    const before = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    const victim = before[0]!;
    expect(await ok(['delete', 'pod', victim])).toBe(`pod "${victim}" deleted\n`);
    const after = await eventually(['get', 'pods', '-l', 'app=web'], (s) => {
      const r = rows(s);
      return r.length === 3 && r.every((p) => p[2] === 'Running') && !s.includes(victim);
    });
    expect(
      rows(after).filter((p) => !before.includes(p[0]!)),
      after,
    ).toHaveLength(1);
  });

  it('scales to four replicas', async () => {
    expect(await ok(['scale', 'deploy/web', '--replicas=4'])).toBe('deployment.apps/web scaled\n');
    expect(await ok(['rollout', 'status', 'deploy/web', '--timeout=30s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    expect(await ok(['get', 'deploy', 'web'])).toMatch(/\nweb\s+4\/4\s+4\s+4\s+\d+s\n$/);
  });

  it('streams changes with get -w', async () => {
    const child = spawn(kubectlPath, ['get', 'pods', 'client', '-w'], { env: k.env });
    const { seen } = streamedOutput(child, 'get -w');
    try {
      await seen(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nclient\s+1\/1\s+Running\s+0\s+\S+\n/);
      await ok(['label', 'pod', 'client', 'watched=yes']);
      await seen(/\nclient\s+1\/1\s+Running\s+0\s+\S+\nclient\s+1\/1\s+Running\s+0\s+\S+\n/);
    } finally {
      child.kill();
    }
  });

  // kubectl logs -f --tail=1 --timestamps (the request pods.logs makes): the log's last line
  // first, then each new line while the stream stays open (kubernetes/kubernetes
  // pkg/kubelet/kuberuntime/logs/logs.go ReadLogs: tail start, then waits for writes).
  it('follows a web pod log with logs -f --timestamps --tail=1', async () => {
    const pod = await ok(['get', 'pod', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const ip = await ok(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);
    const child = spawn(kubectlPath, ['logs', '-f', '--timestamps', '--tail=1', pod], { env: k.env });
    const { seen, out } = streamedOutput(child, 'logs -f');
    const lines = async (n: number) => {
      await seen(new RegExp(`^(.*\n){${n}}`));
      return out().split('\n').slice(0, -1);
    };
    const stamped = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) I\d{4} [^\]]+\] (.*)$/;
    try {
      const [tail] = await lines(1);
      expect(tail, out()).toMatch(stamped);
      // The seed's web pods have no probes: this request is the only thing that writes to the log.
      await ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}:8080/hostname`]);
      // agnhost netexec logs the request, then the answer it gave.
      const [, request, answer] = await lines(3);
      expect(stamped.exec(request ?? '')?.[2], out()).toBe('GET /hostname');
      expect(stamped.exec(answer ?? '')?.[2], out()).toBe(`hostname: ${pod}`);
      const at = (line: string | undefined) => Date.parse(stamped.exec(line ?? '')?.[1] ?? '');
      expect(at(request)).toBeGreaterThanOrEqual(at(tail));
      expect(child.exitCode, 'a followed log stays open while the container runs').toBeNull();
    } finally {
      child.kill();
    }
  });

  it('prints the real RBAC, credential and connection errors under the api-server faults', async () => {
    sim.faults.enable('rbac-missing:list:pods');
    try {
      const denied = await kubectl(['get', 'pods']);
      expect(denied.stderr).toBe(
        'Error from server (Forbidden): pods is forbidden: User "kubeproof" cannot list resource "pods" in API group "" in the namespace "default"\n',
      );
    } finally {
      sim.faults.disable('rbac-missing:list:pods');
    }
    sim.faults.enable('token-invalid');
    try {
      const refused = await kubectl(['get', 'pods']);
      expect(refused.stderr).toBe('error: You must be logged in to the server (Unauthorized)\n');
    } finally {
      sim.faults.disable('token-invalid');
    }
    sim.faults.enable('apiserver-unreachable');
    await sim.settled();
    try {
      const down = await kubectl(['get', 'pods']);
      expect(down.stderr).toContain(
        `The connection to the server 127.0.0.1:${sim.port} was refused - did you specify the right host or port?`,
      );
    } finally {
      sim.faults.disable('apiserver-unreachable');
      await sim.settled();
    }
    expect(await ok(['get', 'ns', 'default', '-o', 'name'])).toBe('namespace/default\n');
  });

  it('cleans up like the seed: deployment, service and client pod', async () => {
    expect(await ok(['delete', 'deploy', 'web'])).toBe('deployment.apps "web" deleted\n');
    expect(await ok(['delete', 'svc', 'web'])).toBe('service "web" deleted\n');
    expect(await ok(['delete', 'pod', 'client', '--wait=false'])).toBe('pod "client" deleted\n');
    await eventually(['get', 'pods', '-l', 'app=web', '-o', 'name'], (s) => s.trim() === '');
  });
});

/** A running kubectl's output: `seen(re)` waits (10 s at most) until stdout matches. */
function streamedOutput(child: ChildProcessWithoutNullStreams, what: string) {
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const checks = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const check of [...checks]) check();
  });
  const seen = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        checks.delete(check);
        reject(new Error(`${what} never printed ${re}; got:\n${out}\nstderr:\n${err}`));
      }, 10_000);
      const check = () => {
        if (!re.test(out)) return;
        clearTimeout(timer);
        checks.delete(check);
        resolve();
      };
      checks.add(check);
      check();
    });
  return { seen, out: () => out };
}
