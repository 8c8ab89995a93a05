import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, type FaultSpec } from './faults.js';
import { HelpRequested, helpText, parseCliOptions, UsageError } from './options.js';

describe('sim command line', () => {
  it('reads every flag issue 3 names, repeatable --fault included', () => {
    const o = parseCliOptions([
      '--kubeconfig-out',
      '/tmp/kc',
      '--fault',
      'coredns-down',
      '--fault=node-notready:worker-1',
      '--nodes',
      '3',
      '--no-pod-cidr',
      '--cluster-domain',
      'example.internal',
      '--encryption',
      'aescbc:key1',
      '--etcd',
      'https://127.0.0.1:2379',
      '--pod-start-ms',
      '500',
      '--endpoint-delay-ms=30',
      '--api-latency-ms',
      '5',
      '--dns-latency-ms',
      '2',
      '--port',
      '6443',
    ]);
    expect(o).toEqual({
      kubeconfigOut: '/tmp/kc',
      cluster: {
        faults: ['coredns-down', 'node-notready:worker-1'],
        nodes: 3,
        podCidr: false,
        clusterDomain: 'example.internal',
        encryption: { provider: 'aescbc', keyName: 'key1' },
        etcd: { endpoints: ['https://127.0.0.1:2379'] },
        latencies: { podStartMs: 500, endpointDelayMs: 30, apiLatencyMs: 5, dnsLatencyMs: 2 },
        port: 6443,
      },
    });
  });

  it('rejects an unknown fault naming the known ones, and a missing fault argument', () => {
    expect(() => parseCliOptions(['--fault', 'dns-flaky'])).toThrow(
      /unknown fault "dns-flaky"; known faults: scheduler-down, nodes-unschedulable, node-notready:<node>/,
    );
    expect(() => parseCliOptions(['--fault', 'rbac-missing:get'])).toThrow(
      'fault "rbac-missing" takes 2 argument(s): rbac-missing:<verb>:<resource>',
    );
  });

  it('rejects unknown flags and non-numeric values with a usage error', () => {
    expect(() => parseCliOptions(['--nodes', 'two'])).toThrow(UsageError);
    expect(() => parseCliOptions(['--verbose'])).toThrow(/unknown option --verbose/);
    expect(() => parseCliOptions(['--kubeconfig-out'])).toThrow('--kubeconfig-out needs a value');
  });

  it('--help lists every flag and every fault, one line each, and is not an error', () => {
    expect(() => parseCliOptions(['--nodes', '3', '--help'])).toThrow(HelpRequested);
    const lines = helpText().split('\n');
    for (const name of FAULT_NAMES) {
      const line = lines.filter((l) => l.trimStart().startsWith(`${name} `) || l.trimStart().startsWith(`${name}:`));
      expect(line, name).toHaveLength(1);
      expect(line[0]!.length, line[0]).toBeLessThanOrEqual(140);
    }
    for (const flag of ['--kubeconfig-out', '--fault', '--nodes', '--encryption', '--dns-latency-ms']) {
      expect(lines.filter((l) => l.trimStart().startsWith(`${flag} `))).toHaveLength(1);
    }
  });

  it('refuses a value on a switch', () => {
    expect(() => parseCliOptions(['--no-pod-cidr=yes'])).toThrow('--no-pod-cidr takes no value');
  });

  it('types fault names: a misspelt fault or a missing argument does not compile', () => {
    // @ts-expect-error 'coredns-dwn' is not a fault
    const misspelt: FaultSpec = 'coredns-dwn';
    // @ts-expect-error node-notready needs its node
    const bare: FaultSpec = 'node-notready';
    const good: FaultSpec[] = ['coredns-down', 'node-notready:worker-1', 'rbac-missing:get:/metrics'];
    expect([misspelt, bare, ...good]).toHaveLength(5);
  });

  it('reads the admission denial flags, and refuses bad values readably', () => {
    expect(
      parseCliOptions([
        '--pod-security',
        'restricted',
        '--deny-webhook',
        'validate.kyverno.svc-fail:400',
        '--deny-policy',
        'require-team',
      ]).cluster.admission,
    ).toEqual({
      podSecurity: { enforce: 'restricted', warn: 'restricted', audit: 'restricted' },
      webhook: {
        name: 'validate.kyverno.svc-fail',
        message: 'pod creation is blocked by policy validate.kyverno.svc-fail',
        code: 400,
      },
      validatingAdmissionPolicy: { policy: 'require-team', binding: 'require-team-binding' },
    });
    expect(() => parseCliOptions(['--pod-security', 'strict'])).toThrow(
      '--pod-security: expected baseline or restricted, got "strict"',
    );
    expect(() => parseCliOptions(['--deny-webhook', 'x:forty'])).toThrow(UsageError);
    expect(parseCliOptions(['--idle-close-ms', '350000', '--idle-reset']).cluster.idleNetwork).toEqual({
      idleMs: 350000,
      mode: 'reset',
    });
  });
});
