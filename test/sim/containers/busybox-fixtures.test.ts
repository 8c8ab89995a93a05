/**
 * The busybox emulation against real recordings (test/fixtures/busybox-1.35): the same
 * command in an equivalent setting must print the same bytes and exit with the same status.
 * The recordings used a DNS server on 127.0.0.1:5353 that knows only
 * web.kp-abc123.svc.cluster.local (and answers AAAA without the authoritative bit), and an
 * HTTP/1.0 server whose /hostname answers web-578474b6fc-8rsb8; both are rebuilt here as
 * sidecar containers of the client pod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX, recordingIn } from '../../support/recordings.js';
import type { KubeObj } from '../contracts.js';
import { createFakeCluster, type FakeCluster } from '../runtime/test-support/fake-cluster.js';
import type { EmulatedImage } from './types.js';

const recording = recordingIn(BUSYBOX);

const fixtureDns: EmulatedImage = {
  id: 'fixture-dns',
  matches: (image) => image === 'fixture/dns',
  entrypoint: ['dns'],
  cmd: [],
  pid1Signals: 'go-runtime',
  programs: new Map([
    [
      'dns',
      async (proc) => {
        proc.listenDns(5353, (q) => {
          if (q.name !== 'web.kp-abc123.svc.cluster.local')
            return { rcode: 'NXDOMAIN', authoritative: true, answers: [] };
          if (q.type === 'AAAA') return { rcode: 'NOERROR', authoritative: false, answers: [] };
          return {
            rcode: 'NOERROR',
            authoritative: true,
            answers: [{ name: q.name, type: 'A', address: '10.32.0.93' }],
          };
        });
        await new Promise((resolve) => proc.signal.addEventListener('abort', resolve));
        return 0;
      },
    ],
  ]),
};

/** Python's http.server style: HTTP/1.0, one request per connection. */
const fixtureHttp: EmulatedImage = {
  id: 'fixture-http',
  matches: (image) => image === 'fixture/http',
  entrypoint: ['http'],
  cmd: [],
  pid1Signals: 'go-runtime',
  programs: new Map([
    [
      'http',
      async (proc) => {
        proc.listenTcp(8000, (socket) => {
          socket.once('data', (chunk: Buffer) => {
            const target = chunk.toString().split(' ')[1];
            socket.end(
              target === '/hostname'
                ? 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nweb-578474b6fc-8rsb8'
                : 'HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>404</h1>',
            );
          });
        });
        await new Promise((resolve) => proc.signal.addEventListener('abort', resolve));
        return 0;
      },
    ],
  ]),
};

describe('busybox emulation reproduces the recorded busybox 1.35 output byte for byte', () => {
  let cluster: FakeCluster;
  let pod: KubeObj;
  const run = async (command: string[]) => {
    const out = await cluster.runtime.execInContainer(pod, 'client', command);
    if (!out) throw new Error('client not running');
    return out;
  };

  beforeAll(() => {
    cluster = createFakeCluster({ images: [fixtureDns, fixtureHttp] });
    cluster.addNode('worker-0', '10.240.0.20');
    pod = cluster.runPod({
      namespace: 'kp-abc123',
      name: 'client',
      node: 'worker-0',
      ip: '10.200.0.9',
      containers: [
        { name: 'client', image: 'busybox:1.36', command: ['sleep', '3600'] },
        { name: 'dns', image: 'fixture/dns' },
        { name: 'http', image: 'fixture/http' },
      ],
    });
  });
  afterAll(() => cluster.dispose());

  const cases: Array<[string, string[]]> = [
    ['nslookup-found', ['nslookup', '-port=5353', 'web.kp-abc123.svc.cluster.local', '127.0.0.1']],
    ['nslookup-nxdomain', ['nslookup', '-port=5353', 'nosuch.kp-abc123.svc.cluster.local', '127.0.0.1']],
    ['nslookup-noserver', ['nslookup', '-port=5399', 'web.kp-abc123.svc.cluster.local', '127.0.0.1']],
    ['wget-ok', ['wget', '-qO-', 'http://127.0.0.1:8000/hostname']],
    ['wget-404', ['wget', '-qO-', 'http://127.0.0.1:8000/nosuch']],
    ['wget-refused', ['wget', '-qO-', 'http://127.0.0.1:8001/hostname']],
  ];

  it.each(cases)('reproduces %s', async (name, command) => {
    const expected = recording(name);
    const actual = await run(command);
    expect(actual, `${command.join(' ')} printed ${JSON.stringify(actual)}`).toEqual(expected);
  });
});
