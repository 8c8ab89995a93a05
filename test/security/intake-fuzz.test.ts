/**
 * Property-based fuzz of the kubeconfig intake (fast-check): whatever is sent — random text,
 * random YAML documents, kubeconfigs with hostile fields and every address notation — the answer
 * is 202 or a problem+json 4xx, never a 5xx, and nothing is dialled outside the policy. The real
 * suite executor runs behind a RecordingConnector: it resolves names from a fixed table (never
 * the real DNS) and opens no socket at all, so every would-be dial is recorded, none is sent.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createSuiteExecutor } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { classesOf, parseIp } from '../../src/net/ip.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { pemData, TEST_TOKEN } from '../service/kubeconfigs.js';
import { recordingPolicy } from './support/recording-connector.js';

const NAMES: Record<string, string[]> = {
  'kube.example': ['10.0.0.1'],
  'meta.example': ['169.254.169.254'],
  'mixed.example': ['10.0.0.2', 'fd00:ec2::254'],
  'v6.example': ['fd12::1'],
};

const { policy, connector } = recordingPolicy({ allowLoopback: false, names: NAMES });
// This connector never opens a socket: a dial is only recorded.
connector.connect = (options) => {
  connector.dialled.push(`${options.host}:${options.port}`);
  throw new Error('fuzz connector: no socket is opened');
};

let harness: Harness;
beforeAll(() => {
  harness = createHarness({
    outbound: policy,
    executor: createSuiteExecutor({ clock: { now: () => new Date() }, logger: silentLogger, outbound: policy }),
    maxQueued: 10_000,
  });
});
afterAll(async () => harness?.close());

const host = fc.oneof(
  fc.constantFrom(
    '169.254.169.254',
    '[::ffff:169.254.169.254]',
    '[::ffff:a9fe:a9fe]',
    '2852039166',
    '0xa9fea9fe',
    '0251.0376.0251.0376',
    '169.254.43518',
    '127.0.0.1',
    '127.1',
    '2130706433',
    '[::1]',
    '0',
    '0.0.0.0',
    '[::]',
    '224.0.0.1',
    '255.255.255.255',
    '[fe80::1]',
    '[fd00:ec2::254]',
    '10.0.0.10',
    '[fd12::1]',
    ...Object.keys(NAMES),
    'unknown.example',
    'localhost',
  ),
  fc.ipV4(),
  fc.ipV6().map((a) => `[${a}]`),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
  fc.domain(),
);
const server = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'unix://', 'HTTPS://', ' https://', 'ftp://'),
      host,
      fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: undefined }),
      fc.constantFrom('', '/', '/api', '#/x', '?a=b', '/%2e%2e/', '\r\n# X'),
    )
    .map(([scheme, h, port, path]) => `${scheme}${h}${port === undefined ? '' : `:${port}`}${path}`),
  fc.string(),
);
const userField = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ token: TEST_TOKEN }) },
  fc.record({ token: fc.constantFrom(TEST_TOKEN, '', 'x') }),
  fc.record({ exec: fc.record({ command: fc.constant('sh') }) }),
  fc.record({ 'token-file': fc.constant('/etc/hostname') }),
  fc.record({ 'client-certificate-data': fc.constant(pemData('CERTIFICATE', 'c')), 'client-key-data': fc.string() }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'as', 'username', 'password', 'toString'), fc.string()),
);
const kubeconfig = fc
  .record({
    server,
    user: userField,
    extra: fc.dictionary(
      fc.constantFrom('insecure-skip-tls-verify', 'proxy-url', 'tls-server-name', '__proto__'),
      fc.jsonValue(),
    ),
    name: fc.oneof(fc.constant('c'), fc.string()),
  })
  .map(({ server: s, user, extra, name }) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': name,
      clusters: [
        { name, cluster: { server: s, 'certificate-authority-data': pemData('CERTIFICATE', 'ca'), ...extra } },
      ],
      users: [{ name: 'u', user }],
      contexts: [{ name, context: { cluster: name, user: 'u' } }],
    }),
  );
const etcdOptions = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.record({
    encryption: fc.record({ etcd: fc.record({ endpoints: fc.array(server, { minLength: 1, maxLength: 3 }) }) }),
  }),
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kubeconfig, options: etcdOptions }).map((b) => ({ json: b })) },
  { weight: 1, arbitrary: fc.string().map((text) => ({ yaml: text })) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => ({ json: v })) },
  { weight: 1, arbitrary: fc.anything().map((v) => ({ yaml: stringify(v) })) },
);

function validKubeconfig(url: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: url, 'certificate-authority-data': pemData('CERTIFICATE', 'ca') } }],
    users: [{ name: 'u', user: { token: TEST_TOKEN } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  });
}

type Input = { json: unknown } | { yaml: string };

/** Whether the default policy (service not on loopback) would dial this address. */
function allowed(dial: string): boolean {
  const address = dial.slice(0, dial.lastIndexOf(':'));
  const ip = parseIp(address);
  if (!ip) return false;
  const refused = new Set(['metadata', 'link-local', 'unspecified', 'multicast', 'broadcast', 'reserved', 'loopback']);
  return !classesOf(ip).some((c) => refused.has(c));
}

describe('kubeconfig intake fuzz', () => {
  it('answers 202 or a problem+json 4xx, never a 5xx, and dials nothing outside the policy', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body as fc.Arbitrary<Input>, async (input) => {
        const res =
          'json' in input
            ? await call(harness, 'POST', '/v1/audits', { json: input.json })
            : await call(harness, 'POST', '/v1/audits', {
                body: input.yaml,
                headers: { 'content-type': 'application/yaml' },
              });
        expect(
          res.status === 202 || (res.status >= 400 && res.status < 500),
          `${res.status} ${res.text.slice(0, 300)}`,
        ).toBe(true);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 202) expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.text).not.toContain(TEST_TOKEN);
        await harness.runner.whenIdle();
        const outside = connector.dialled.filter((d) => !allowed(d));
        expect(outside, 'dials outside the policy').toEqual([]);
      }),
      {
        numRuns: 300,
        // Always among the inputs: accepted kubeconfigs whose runs dial (recorded), and refused ones.
        examples: [
          'https://10.0.0.1:6443',
          'https://kube.example:6443',
          'https://[fd12::1]:6443',
          'https://meta.example',
          'https://2852039166',
        ].map((url): [Input] => [{ json: { kubeconfig: validKubeconfig(url) } }]),
      },
    );
    // Not vacuous: some inputs were accepted and their runs really tried to dial (recorded only).
    expect(statuses.get(202) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(connector.dialled.length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
