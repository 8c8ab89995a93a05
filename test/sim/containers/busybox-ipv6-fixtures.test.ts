/**
 * busybox wget with IPv6 literals against real recordings (test/fixtures/busybox-1.35-ipv6): a
 * bracketed URL reaches the server, an unbracketed one is a `bad address`, a refusal names no
 * address. The recordings' HTTP server on [::1]:18080 is rebuilt as a sidecar of the client pod.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX_IPV6, recordingIn } from '../../support/recordings.js';
import type { KubeObj } from '../contracts.js';
import { createFakeCluster, type FakeCluster } from '../runtime/test-support/fake-cluster.js';
import type { EmulatedImage } from './types.js';

const recording = recordingIn(BUSYBOX_IPV6);

const hostnameServer: EmulatedImage = {
  id: 'fixture-http6',
  matches: (image) => image === 'fixture/http6',
  entrypoint: ['http'],
  cmd: [],
  pid1Signals: 'go-runtime',
  programs: new Map([
    [
      'http',
      async (proc) => {
        proc.listenTcp(18080, (socket) => {
          socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nweb-578474b6fc-8rsb8'));
        });
        await new Promise((resolve) => proc.signal.addEventListener('abort', resolve));
        return 0;
      },
    ],
  ]),
};

describe('busybox wget with IPv6 literals reproduces the recorded busybox 1.35 output', () => {
  let cluster: FakeCluster;
  let pod: KubeObj;
  beforeAll(() => {
    cluster = createFakeCluster({ images: [hostnameServer] });
    cluster.addNode('worker-0', '10.240.0.20');
    pod = cluster.runPod({
      namespace: 'kp-abc123',
      name: 'client',
      node: 'worker-0',
      ip: '10.200.0.9',
      containers: [
        { name: 'client', image: 'busybox:1.36', command: ['sleep', '3600'] },
        { name: 'http', image: 'fixture/http6' },
      ],
    });
  });
  afterAll(() => cluster.dispose());

  const cases: Array<[string, string[]]> = [
    ['wget-ipv6-ok', ['wget', '-qO-', 'http://[::1]:18080/hostname']],
    ['wget-ipv6-nobrackets', ['wget', '-qO-', 'http://::1:18080/hostname']],
    ['wget-ipv6-refused', ['wget', '-qO-', 'http://[::1]:18081/hostname']],
  ];

  it.each(cases)('reproduces %s', async (name, command) => {
    const actual = await cluster.runtime.execInContainer(pod, 'client', command);
    expect(actual, `${command.join(' ')} printed ${JSON.stringify(actual)}`).toEqual(recording(name));
  });
});
