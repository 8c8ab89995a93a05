/**
 * The outbound policy, unit and through intake: every address form an attacker can write is
 * normalised and checked, a refused target is a 400 naming the policy and KUBEPROOF_ALLOWED_TARGETS,
 * and nothing is dialled: a RecordingConnector sees every resolution and dial and opens only
 * loopback sockets, so no test here sends a packet anywhere else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteExecutor } from '../../src/engine/suite/suite.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { silentLogger } from '../../src/logger.js';
import { OutboundPolicy, OutboundRefusal, parseAllowedTargets, targetOf } from '../../src/net/outbound-policy.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';
import { type HostileServer, startHostileServer } from './support/hostile-server.js';
import { recordingPolicy } from './support/recording-connector.js';

const refusal = async (policy: OutboundPolicy, url: string) => {
  try {
    await policy.resolveChecked(targetOf(new URL(url)));
    return undefined;
  } catch (err) {
    if (err instanceof OutboundRefusal) return err.reason;
    throw err;
  }
};

describe('address forms under the default policy (service not on loopback)', () => {
  const { policy, connector } = recordingPolicy({ allowLoopback: false });
  it.each([
    ['https://169.254.169.254', /metadata/],
    ['https://[::ffff:169.254.169.254]', /metadata/],
    ['https://[::ffff:a9fe:a9fe]', /metadata/],
    ['https://2852039166', /metadata/],
    ['https://0xa9.0xfe.0xa9.0xfe', /metadata/],
    ['https://0251.0376.0251.0376', /metadata/],
    ['https://169.254.43518', /metadata/],
    ['https://[fd00:ec2::254]', /metadata/],
    ['https://100.100.100.200', /metadata/],
    ['https://[2002:a9fe:a9fe::1]', /metadata/],
    ['https://[64:ff9b::a9fe:a9fe]', /metadata/],
    ['https://169.254.1.1', /link-local/],
    ['https://[fe80::1]', /link-local/],
    ['https://0.0.0.0', /unspecified/],
    ['https://0', /unspecified/],
    ['https://[::]', /unspecified/],
    ['https://224.0.0.1', /multicast/],
    ['https://[ff02::1]', /multicast/],
    ['https://255.255.255.255', /broadcast/],
    ['https://4294967295', /broadcast/],
    ['https://240.0.0.1', /reserved/],
    ['https://127.0.0.1', /loopback/],
    ['https://2130706433', /loopback/],
    ['https://127.1', /loopback/],
    ['https://0x7f000001', /loopback/],
    ['https://017700000001', /loopback/],
    ['https://127.0.0.1.', /loopback/],
    ['https://[::1]', /loopback/],
    ['https://[::ffff:127.0.0.1]', /loopback/],
    ['https://[::ffff:7f00:1]', /loopback/],
    ['https://[0:0:0:0:0:ffff:7f00:1]', /loopback/],
  ])('refuses %s', async (url, why) => {
    expect(await refusal(policy, url)).toMatch(why);
  });

  it.each([
    'https://10.0.0.10:6443',
    'https://192.168.1.5',
    'https://172.16.0.1',
    'https://[fd12::1]',
    'https://8.8.8.8',
  ])('allows %s (private ranges hold on-prem clusters)', async (url) => {
    expect(await refusal(policy, url)).toBeUndefined();
  });

  it('checks every answer of a name: one metadata address among public ones refuses it', async () => {
    const { policy: p } = recordingPolicy({
      allowLoopback: false,
      names: { 'mixed.example': ['8.8.8.8', '169.254.169.254'] },
    });
    expect(await refusal(p, 'https://mixed.example')).toMatch(
      /resolves to 169\.254\.169\.254 is a cloud metadata|metadata/,
    );
  });

  it('never dialled anything while checking', () => {
    expect(connector.dialled).toEqual([]);
  });
});

describe('the loopback exception', () => {
  it('lets loopback through only when the service listens on loopback', async () => {
    const open = new OutboundPolicy({ allowLoopback: true });
    expect(await refusal(open, 'https://127.0.0.1:6443')).toBeUndefined();
    expect(await refusal(open, 'https://[::1]:6443')).toBeUndefined();
    // ... but metadata stays refused
    expect(await refusal(open, 'https://169.254.169.254')).toMatch(/metadata/);
  });
});

describe('KUBEPROOF_ALLOWED_TARGETS', () => {
  const rules = parseAllowedTargets('10.0.0.0/8:6443, *.corp.example, [fd00::/8]:443, 192.168.7.7');
  const { policy } = recordingPolicy({
    allowed: rules,
    allowLoopback: true,
    names: {
      'api.corp.example': ['10.1.2.3'],
      'evil.corp.example': ['169.254.169.254'],
      'other.example': ['10.9.9.9'],
      'outside.example': ['8.8.8.8'],
    },
  });
  it.each([
    ['https://10.1.2.3:6443', undefined],
    ['https://10.1.2.3:8443', /matches no rule/],
    ['https://[fd00::5]', undefined],
    ['https://192.168.7.7:6443', undefined],
    ['https://192.168.7.8', /matches no rule/],
    ['https://127.0.0.1', /matches no rule/],
    ['https://api.corp.example:6443', undefined],
    ['https://evil.corp.example', /metadata/],
    ['https://other.example:6443', undefined],
    ['https://outside.example', /matches no rule/],
    ['https://8.8.8.8', /matches no rule/],
  ])('%s → %s', async (url, why) => {
    const reason = await refusal(policy, url);
    if (why === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(why);
  });

  it.each(['10.0.0.0/33', 'foo bar', '10.0.0.1:99999', '[fd00::/8]:0', '1.2.3'])('refuses the bad rule %s', (rule) => {
    expect(() => parseAllowedTargets(rule)).toThrow();
  });
});

describe('a refused target at intake: 400 naming the policy, nothing dialled', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  /** The real suite executor behind the same recording policy: anything admitted would be dialled and recorded. */
  function strictHarness(names: Record<string, string[]> = {}) {
    const { policy, connector } = recordingPolicy({ allowLoopback: false, names });
    const clock = { now: () => new Date() };
    harness = createHarness({
      outbound: policy,
      executor: createSuiteExecutor({ clock, logger: silentLogger, outbound: policy }),
    });
    return { harness, connector };
  }

  it.each([
    'https://169.254.169.254',
    'https://[::ffff:169.254.169.254]',
    'https://2852039166',
    'https://169.254.169.254:443/latest/meta-data',
    'https://metadata.attacker.example:6443',
    'https://127.0.0.1:6443',
  ])('refuses the server %s', async (server) => {
    const { harness: h, connector } = strictHarness({ 'metadata.attacker.example': ['169.254.169.254'] });
    const res = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml({ server }) } });
    await h.runner.whenIdle();
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toBe('urn:kubeproof:problem:outbound_policy');
    expect(res.body.detail).toContain('KUBEPROOF_ALLOWED_TARGETS');
    expect(connector.dialled).toEqual([]);
    expect((await call(h, 'GET', '/v1/audits')).body.items).toEqual([]);
  });

  it.each(['http://10.0.0.10:2379', 'unix:///var/run/etcd.sock', 'https://169.254.169.254:2379'])(
    'refuses the etcd endpoint %s',
    async (endpoint) => {
      const { harness: h, connector } = strictHarness();
      const res = await call(h, 'POST', '/v1/audits', {
        json: {
          kubeconfig: kubeconfigYaml({ server: 'https://10.0.0.10:6443' }),
          options: { encryption: { strategy: 'etcd-direct', etcd: { endpoints: [endpoint], caData: 'x' } } },
        },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe('outbound_policy');
      expect(res.body.field).toBe('body.options.encryption.etcd.endpoints.0');
      expect(connector.dialled).toEqual([]);
    },
  );
});

describe('the dial goes to the checked address', () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('connects to the address it checked, verifying the certificate against the name', async () => {
    server = await startHostileServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
    });
    const port = new URL(server.url).port;
    // `kubernetes` is in the serving certificate's SANs; the table answers it with loopback.
    const { policy, connector } = recordingPolicy({ allowLoopback: true, names: { kubernetes: ['127.0.0.1'] } });
    const kc = kubeconfigYaml({
      server: `https://kubernetes:${port}`,
      cluster: { 'certificate-authority-data': server.caData },
    });
    const cluster = createClusterAccess(sanitizeKubeconfig(kc).kubeconfig, policy);
    try {
      expect((await cluster.version()).gitVersion).toBe('v1.32.0');
    } finally {
      cluster.close();
    }
    expect(connector.resolved).toEqual(['kubernetes']);
    expect(connector.dialled).toEqual([`127.0.0.1:${port}`]);
  });

  it('refuses at dial time a name that changed its answer after intake (DNS rebinding)', async () => {
    let answer = '127.0.0.1';
    const { policy, connector } = recordingPolicy({
      allowLoopback: true,
      names: { 'rebind.example': () => [answer] },
    });
    await policy.admit('https://rebind.example:6443');
    answer = '169.254.169.254';
    const kc = kubeconfigYaml({ server: 'https://rebind.example:6443' });
    const cluster = createClusterAccess(sanitizeKubeconfig(kc).kubeconfig, policy);
    try {
      await expect(cluster.version({ timeoutMs: 5_000 })).rejects.toMatchObject({
        kind: 'unreachable',
        message: expect.stringMatching(/outbound policy/),
      });
    } finally {
      cluster.close();
    }
    expect(connector.dialled).toEqual([]);
  });

  it('never follows a redirect to a refused address', async () => {
    server = await startHostileServer((_req, res) => {
      res.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    const { policy, connector } = recordingPolicy({ allowLoopback: true });
    const kc = kubeconfigYaml({ server: server.url, cluster: { 'certificate-authority-data': server.caData } });
    const cluster = createClusterAccess(sanitizeKubeconfig(kc).kubeconfig, policy);
    try {
      await expect(cluster.version({ timeoutMs: 5_000 })).rejects.toMatchObject({ httpStatus: 302 });
      await expect(
        cluster.exec({ namespace: 'x', pod: 'p', container: 'c', command: ['true'] }, { timeoutMs: 5_000 }),
      ).rejects.toMatchObject({ httpStatus: 302 });
    } finally {
      cluster.close();
    }
    expect(connector.dialled.every((d) => d.startsWith('127.0.0.1:'))).toBe(true);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });
});
