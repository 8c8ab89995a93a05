/**
 * Each cluster profile as the real /usr/bin/kubectl shows it — `get nodes -o wide`, `get pods -A`,
 * the kube-system DaemonSets and Deployments — compared with how that kind of cluster looks
 * (each profile's file under profiles/ cites the upstream facts). One cluster per profile.
 */
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, type ProfileName, type SimCluster, startSimCluster } from './index.js';
import { createKubectl, hasKubectl, type Kubectl, rows } from './kubectl.test-helper.js';

interface Seen {
  k: Kubectl;
  sim: SimCluster;
  /** `kubectl get nodes -o wide` rows by node name. */
  nodes: Map<string, string[]>;
  /** Pod names in kube-system. */
  systemPods: string[];
  /** `kubectl get ds -n kube-system` names. */
  daemonSets: string[];
  deployments: string[];
}

async function look(profile: ProfileName, fn: (seen: Seen) => Promise<void>): Promise<void> {
  const sim = await startSimCluster({ profile });
  const k = createKubectl(sim.kubeconfig);
  try {
    const nodeRows = rows(await k.ok(['get', 'nodes', '-o', 'wide']));
    const names = async (args: string[]) =>
      (await k.ok([...args, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']))
        .trim()
        .split('\n')
        .filter(Boolean);
    await fn({
      k,
      sim,
      nodes: new Map(nodeRows.map((r) => [r[0]!, r])),
      systemPods: await names(['get', 'pods', '-n', 'kube-system']),
      daemonSets: await names(['get', 'daemonsets', '-n', 'kube-system']),
      deployments: await names(['get', 'deployments', '-n', 'kube-system']),
    });
  } finally {
    k.dispose();
    await sim.stop();
  }
}

/** Column of `kubectl get nodes -o wide`. */
const col = { roles: 2, internalIp: 5 } as const;
const podIpsOn = async (k: Kubectl, ns: string) =>
  (
    await k.ok([
      'get',
      'pods',
      '-n',
      ns,
      '-o',
      'jsonpath={range .items[*]}{.status.podIP}{" "}{.spec.nodeName}{"\\n"}{end}',
    ])
  )
    .trim()
    .split('\n')
    .map((l) => l.split(' ') as [string, string]);

/** The seed's web Deployment (agnhost netexec), a Service made by `expose`, and a busybox client, all ready. */
async function webAndClient(k: Kubectl, service: string[], stdin?: string): Promise<void> {
  await k.ok([
    'create',
    'deployment',
    'web',
    '--image=registry.k8s.io/e2e-test-images/agnhost:2.52',
    '--',
    '/agnhost',
    'netexec',
    '--http-port=8080',
  ]);
  await k.ok(service, stdin);
  await k.ok(['run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600']);
  await k.ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
  await k.ok(['wait', '--for=condition=Available', 'deploy/web', '--timeout=60s']);
}

const cases: Record<ProfileName, (seen: Seen) => Promise<void>> = {
  async kthw({ nodes, systemPods, daemonSets }) {
    expect([...nodes.keys()]).toEqual(['controlplane', 'worker-0', 'worker-1']);
    expect(nodes.get('controlplane')?.[col.roles]).toBe('control-plane');
    expect(nodes.get('worker-0')?.[col.internalIp]).toBe('10.240.0.20');
    expect(systemPods.filter((p) => p.startsWith('kube-proxy-'))).toHaveLength(3);
    // Today's default: kube-proxy pods without a DaemonSet object.
    expect(daemonSets).toEqual([]);
  },

  async 'kubeadm-calico'({ k, nodes, systemPods, daemonSets, deployments }) {
    expect(nodes.get('controlplane')?.[col.roles]).toBe('control-plane');
    expect(await k.ok(['get', 'node', 'controlplane', '-o', 'jsonpath={.spec.taints[*].key}'])).toBe(
      'node-role.kubernetes.io/control-plane',
    );
    expect(daemonSets).toEqual(['calico-node', 'kube-proxy']);
    expect(deployments).toEqual(['calico-kube-controllers', 'coredns']);
    for (const sp of [
      'etcd-controlplane',
      'kube-apiserver-controlplane',
      'kube-controller-manager-controlplane',
      'kube-scheduler-controlplane',
    ]) {
      expect(systemPods).toContain(sp);
    }
    // calico-ipam: pod IPs from the node's /26 block of 192.168.0.0/16, not its 192.168.<n>.0/24 podCIDR.
    const cidr = await k.ok(['get', 'node', 'controlplane', '-o', 'jsonpath={.spec.podCIDR}']);
    const tunnel = await k.ok([
      'get',
      'node',
      'controlplane',
      '-o',
      'jsonpath={.metadata.annotations.projectcalico\\.org/IPv4IPIPTunnelAddr}',
    ]);
    expect(cidr).toBe('192.168.0.0/24');
    for (const [ip, node] of await podIpsOn(k, 'kube-system')) {
      if (node === 'controlplane' && !ip.startsWith('10.0.0.')) {
        expect(ip.split('.').slice(0, 3)).toEqual(tunnel.split('.').slice(0, 3));
        expect(ip.startsWith('192.168.0.')).toBe(false);
      }
    }
    expect(
      await k.ok(['get', 'cm', '-n', 'kube-system', 'kube-proxy', '-o', 'jsonpath={.data.config\\.conf}']),
    ).toMatch(/^mode: ""$/m);
  },

  async eks({ k, nodes, systemPods, daemonSets, deployments }) {
    expect(nodes.size).toBe(2);
    for (const [name, row] of nodes) {
      expect(name).toMatch(/^ip-192-168-\d+-\d+\.us-west-2\.compute\.internal$/);
      expect(row[col.roles]).toBe('<none>');
    }
    expect(await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].status.nodeInfo.osImage}'])).toBe(
      'Amazon Linux 2023.6.20241121',
    );
    expect(await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).toBe('');
    expect(await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].spec.providerID}'])).toMatch(
      /^aws:\/\/\/us-west-2[abc]\/i-0[0-9a-f]+$/,
    );
    expect(daemonSets).toEqual(['aws-node', 'kube-proxy']);
    expect(deployments).toEqual(['coredns']);
    expect(systemPods.some((p) => p.startsWith('kube-apiserver') || p.startsWith('etcd'))).toBe(false);
    // VPC CNI: pod IPs are addresses of the node's own subnet.
    for (const [ip] of await podIpsOn(k, 'kube-system')) expect(ip).toMatch(/^192\.168\./);
    const metrics = await k.run(['get', '--raw', '/metrics']);
    expect(metrics.stderr).toMatch(/Error from server \(Forbidden\).*cannot get path "\/metrics"/);
  },

  async gke({ k, nodes, systemPods, daemonSets, deployments }) {
    for (const name of nodes.keys()) expect(name).toMatch(/^gke-kubeproof-default-pool-3f2a9c1e-[a-z0-9]{4}$/);
    expect(await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).toMatch(
      /^10\.52\.\d+\.0\/24 10\.52\.\d+\.0\/24$/,
    );
    expect(deployments).toContain('kube-dns');
    expect(deployments).not.toContain('coredns');
    expect((await k.run(['get', 'cm', '-n', 'kube-system', 'coredns'])).stderr).toMatch(/NotFound/);
    expect(await k.ok(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}'])).toBe(
      '34.118.224.10',
    );
    const dnsPod = systemPods.find((p) => p.startsWith('kube-dns-'))!;
    expect(await k.ok(['get', 'pod', '-n', 'kube-system', dnsPod, '-o', 'jsonpath={.spec.containers[*].name}'])).toBe(
      'kubedns dnsmasq sidecar prometheus-to-sd',
    );
    // Dataplane V1: static kube-proxy pods per node; the DaemonSet waits for a label no node has.
    for (const name of nodes.keys()) expect(systemPods).toContain(`kube-proxy-${name}`);
    expect(daemonSets).toContain('kube-proxy');
    expect(
      await k.ok(['get', 'ds', '-n', 'kube-system', 'kube-proxy', '-o', 'jsonpath={.status.desiredNumberScheduled}']),
    ).toBe('0');
    expect(systemPods.some((p) => p.startsWith('kube-apiserver') || p.startsWith('etcd'))).toBe(false);
  },

  async k3s({ k, nodes, systemPods, daemonSets, deployments }) {
    expect([...nodes.keys()]).toEqual(['k3s-server']);
    expect(nodes.get('k3s-server')?.[col.roles]).toBe('control-plane,master');
    expect(await k.ok(['get', 'node', 'k3s-server', '-o', 'jsonpath={.spec.taints}'])).toBe('');
    expect(await k.ok(['get', 'node', 'k3s-server', '-o', 'jsonpath={.spec.providerID}'])).toBe('k3s://k3s-server');
    expect(deployments).toEqual(['coredns', 'local-path-provisioner', 'metrics-server', 'traefik']);
    expect(daemonSets).toEqual([expect.stringMatching(/^svclb-traefik-[0-9a-f]{8}$/)]);
    // Embedded: no kube-proxy, flannel or control-plane pods.
    expect(systemPods.filter((p) => /^(kube-proxy|kube-flannel|kube-apiserver|etcd)/.test(p))).toEqual([]);
    expect(await k.ok(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}'])).toBe(
      '10.43.0.10',
    );
  },

  async 'cilium-kpr'({ k, systemPods, daemonSets, deployments }) {
    expect(daemonSets).toEqual(['cilium', 'cilium-envoy']);
    expect(deployments).toEqual(['cilium-operator', 'coredns']);
    expect(systemPods.filter((p) => p.startsWith('kube-proxy'))).toEqual([]);
    expect(
      await k.ok([
        'get',
        'cm',
        '-n',
        'kube-system',
        'cilium-config',
        '-o',
        'jsonpath={.data.kube-proxy-replacement} {.data.ipam}',
      ]),
    ).toBe('true cluster-pool');
    // cluster-pool: pods get 10.0.<n>.x while the node's podCIDR says 10.244.<n>.0/24.
    expect(await k.ok(['get', 'node', 'controlplane', '-o', 'jsonpath={.spec.podCIDR}'])).toBe('10.244.0.0/24');
    const coredns = (await podIpsOn(k, 'kube-system')).filter(([ip]) => ip.startsWith('10.0.'));
    expect(coredns.length).toBeGreaterThanOrEqual(2);
  },

  async 'psa-restricted'({ k }) {
    await k.ok(['create', 'namespace', 'team']);
    const denied = await k.run([
      'run',
      'web',
      '-n',
      'team',
      '--image=registry.k8s.io/e2e-test-images/agnhost:2.52',
      '--',
      'netexec',
    ]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      'Error from server (Forbidden): pods "web" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")\n',
    );
    const deploy = await k.run([
      'create',
      'deployment',
      'web',
      '-n',
      'team',
      '--image=registry.k8s.io/e2e-test-images/agnhost:2.52',
    ]);
    expect(deploy.code).toBe(0);
    expect(deploy.stderr).toMatch(
      /^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "agnhost" must set/,
    );
    const events = await k.eventually(['get', 'events', '-n', 'team', '--field-selector', 'reason=FailedCreate'], (s) =>
      s.includes('FailedCreate'),
    );
    expect(events).toMatch(
      /replicaset\/web-[a-z0-9]+\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest"/,
    );
    expect(await k.ok(['get', 'pods', '-n', 'team', '-o', 'name'])).toBe('');
  },

  async 'netpol-default-deny'({ k }) {
    await k.ok(['create', 'namespace', 'team']);
    const policies = await k.eventually(['get', 'networkpolicy', '-n', 'team'], (s) => s.includes('default-deny-all'));
    expect(rows(policies)[0]?.[0]).toBe('default-deny-all');
    expect(
      await k.ok(['get', 'networkpolicy', '-n', 'team', 'default-deny-all', '-o', 'jsonpath={.spec.policyTypes}']),
    ).toBe('["Ingress","Egress"]');
    await k.ok(['run', 'web', '-n', 'team', '--image=registry.k8s.io/e2e-test-images/agnhost:2.52', '--', 'netexec']);
    await k.ok(['run', 'client', '-n', 'team', '--image=busybox:1.36', '--', 'sleep', '3600']);
    await k.ok(['wait', '-n', 'team', '--for=condition=Ready', 'pod/web', 'pod/client', '--timeout=60s']);
    const ip = await k.ok(['get', 'pod', '-n', 'team', 'web', '-o', 'jsonpath={.status.podIP}']);
    const blocked = await k.run([
      'exec',
      '-n',
      'team',
      'client',
      '--',
      'wget',
      '-T',
      '2',
      '-qO-',
      `http://${ip}:8080/hostname`,
    ]);
    expect(blocked.stderr).toMatch(/wget: download timed out/);
    await k.ok(['delete', 'networkpolicy', '-n', 'team', 'default-deny-all']);
    expect(
      await k.ok(['exec', '-n', 'team', 'client', '--', 'wget', '-T', '2', '-qO-', `http://${ip}:8080/hostname`]),
    ).toBe('web');
  },

  async ipv6({ k, nodes }) {
    for (const row of nodes.values()) expect(row[col.internalIp]).toMatch(/^fc00:f853:ccd:e793::[0-9a-f]+$/);
    expect(await k.ok(['get', 'node', 'worker-0', '-o', 'jsonpath={.spec.podCIDRs}'])).toBe('["fd00:10:244:1::/64"]');
    expect(
      await k.ok([
        'get',
        'svc',
        '-n',
        'kube-system',
        'kube-dns',
        '-o',
        'jsonpath={.spec.clusterIP} {.spec.ipFamilies}',
      ]),
    ).toBe('fd00:10:96::a ["IPv6"]');
    await webAndClient(k, ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--type=NodePort']);
    const slices = await k.eventually(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'], (s) =>
      /fd00:10:244/.test(s),
    );
    expect(rows(slices)[0]?.[1]).toBe('IPv6');
    const ip = await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    // busybox 1.35 nslookup: the server printed bracketed with its port, an empty A block, then the AAAA answer.
    expect(await k.ok(['exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local'])).toBe(
      `Server:\t\tfd00:10:96::a\nAddress:\t[fd00:10:96::a]:53\n\n\nName:\tweb.default.svc.cluster.local\nAddress: ${ip}\n\n`,
    );
    expect(await k.ok(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', `http://[${ip}]/hostname`])).toMatch(/^web-/);
    expect(await k.ok(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', 'http://web/hostname'])).toMatch(/^web-/);
    const port = await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    const nodeIp = await k.ok(['get', 'node', 'worker-1', '-o', 'jsonpath={.status.addresses[0].address}']);
    expect(
      await k.ok(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', `http://[${nodeIp}]:${port}/hostname`]),
    ).toMatch(/^web-/);
  },

  async 'dual-stack'({ k }) {
    expect(await k.ok(['get', 'node', 'worker-0', '-o', 'jsonpath={.spec.podCIDRs}'])).toBe(
      '["fd00:10:244:1::/64","10.244.1.0/24"]',
    );
    expect(
      await k.ok(['get', 'node', 'worker-0', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']),
    ).toBe('fc00:f853:ccd:e793::3 172.18.0.3');
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n';
    await webAndClient(k, ['apply', '-f', '-'], svc);
    const podIps = await k.ok(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIPs[*].ip}']);
    expect(podIps).toMatch(/^fd00:10:244:[0-9a-f]+::[0-9a-f]+ 10\.244\.\d+\.\d+$/);
    const [v6, v4] = (await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIPs[*]}'])).split(' ');
    expect(await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ipFamilies}'])).toBe('["IPv6","IPv4"]');
    const slices = await k.eventually(
      ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'],
      (s) => rows(s).length === 2,
    );
    expect(
      rows(slices)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['IPv4', 'IPv6']);
    // busybox 1.35 prints the A block, then the AAAA block.
    expect(await k.ok(['exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local'])).toBe(
      `Server:\t\tfd00:10:96::a\nAddress:\t[fd00:10:96::a]:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${v4}\n\nName:\tweb.default.svc.cluster.local\nAddress: ${v6}\n\n`,
    );
    expect(await k.ok(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', `http://[${v6}]/hostname`])).toMatch(/^web-/);
    expect(await k.ok(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', `http://${v4}/hostname`])).toMatch(/^web-/);
  },

  async 'slow-pulls'({ k }) {
    await k.ok(['run', 'first', '--image=registry.k8s.io/e2e-test-images/agnhost:2.52', '--', 'netexec']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/first', '--timeout=60s']);
    const described = await k.ok(['describe', 'pod', 'first']);
    // The first pull on a node: 60-120 s as the kubelet reports it (waited scaled).
    expect(described).toMatch(
      /Successfully pulled image "registry\.k8s\.io\/e2e-test-images\/agnhost:2\.52" in 1m[0-9.]+s \(1m[0-9.]+s including waiting\)|in 120s/,
    );
  },
};

describe.runIf(hasKubectl).concurrent('kubectl shows each cluster profile as the real kind of cluster', () => {
  it('has a symptom case for every profile', () => {
    expect(Object.keys(cases).sort()).toEqual([...PROFILE_NAMES].sort());
  });
  for (const profile of PROFILE_NAMES) {
    it(profile, () => look(profile, cases[profile]));
  }
});
