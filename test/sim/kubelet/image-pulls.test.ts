/**
 * Issue 9 item 3, image pulls and crash loops, driven with the real kubectl: unknown images,
 * unreachable and private registries fail as the kubelet reports them (ErrImagePull →
 * ImagePullBackOff, its events), imagePullPolicy and pull secrets are honoured, and a container
 * whose command is wrong crash-loops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCluster } from '../index.js';
import { hasKubectl, kubectlSimPerFile } from '../kubectl.test-helper.js';
import { PRIVATE_REGISTRY } from './registries.js';

const NS = 'pulls';
const file = kubectlSimPerFile({ beforeAll, afterAll }, () => startSimCluster(), NS);

type Event = { reason: string; message: string; type: string };
const events = async (pod: string): Promise<Event[]> =>
  JSON.parse(
    await file.k.ok(['get', 'events', '-n', NS, '--field-selector', `involvedObject.name=${pod}`, '-o', 'json']),
  ).items;
const waiting = (pod: string) =>
  file.k.ok(['get', 'pod', pod, '-n', NS, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting}']);

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`never ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

const backOff = (pod: string) =>
  until(
    () => waiting(pod),
    (w) => w.includes('"ImagePullBackOff"'),
    `${pod} in ImagePullBackOff`,
  );

describe.skipIf(!hasKubectl)('image pulls and crash loops (kubectl)', () => {
  it('an unknown image: ErrImagePull then ImagePullBackOff, with the kubelet events', async () => {
    await file.k.ok(['run', 'nosuch', '-n', NS, '--image=docker.io/library/nosuchimage:1.0']);
    const w = JSON.parse(await backOff('nosuch'));
    expect(w).toEqual({
      message: 'Back-off pulling image "docker.io/library/nosuchimage:1.0"',
      reason: 'ImagePullBackOff',
    });
    const ev = await events('nosuch');
    const ref = 'docker.io/library/nosuchimage:1.0';
    expect(ev.map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual(
      expect.arrayContaining([
        `Normal Pulling Pulling image "${ref}"`,
        `Warning Failed Failed to pull image "${ref}": rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
        'Warning Failed Error: ErrImagePull',
        `Normal BackOff Back-off pulling image "${ref}"`,
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    expect(await file.k.ok(['get', 'pod', 'nosuch', '-n', NS, '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
    const table = await file.k.ok(['get', 'pod', 'nosuch', '-n', NS]);
    expect(table).toMatch(/nosuch +0\/1 +(ErrImagePull|ImagePullBackOff) +0 /);
  });

  it('an unreachable registry: the lookup fails', async () => {
    await file.k.ok(['run', 'unreachable', '-n', NS, '--image=registry.invalid/team/app:2.1']);
    await backOff('unreachable');
    const failed = (await events('unreachable')).find((e) => e.message.startsWith('Failed to pull image'));
    expect(failed?.message).toBe(
      'Failed to pull image "registry.invalid/team/app:2.1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.invalid/team/app:2.1": failed to resolve reference "registry.invalid/team/app:2.1": failed to do request: Head "https://registry.invalid/v2/team/app/manifests/2.1": dial tcp: lookup registry.invalid on 127.0.0.53:53: no such host',
    );
  });

  it('a private registry: 401 without or with a wrong pull secret, Running with the right one', async () => {
    const image = `${PRIVATE_REGISTRY.host}/e2e/agnhost:2.52`;
    const podWith = (name: string, secret?: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: NS },
        spec: {
          // Always: an image another pod already pulled onto the node would otherwise be used
          // without credentials (IfNotPresent), as on a real node.
          containers: [{ name: 'web', image, imagePullPolicy: 'Always', args: ['netexec', '--http-port=8080'] }],
          ...(secret ? { imagePullSecrets: [{ name: secret }] } : {}),
        },
      });
    const secret = (name: string, password: string) =>
      file.k.ok([
        'create',
        'secret',
        'docker-registry',
        name,
        '-n',
        NS,
        `--docker-server=${PRIVATE_REGISTRY.host}`,
        `--docker-username=${PRIVATE_REGISTRY.username}`,
        `--docker-password=${password}`,
      ]);
    await secret('wrong', 'not-the-password');
    await secret('right', PRIVATE_REGISTRY.password);
    await file.k.ok(['apply', '-f', '-'], podWith('anonymous'));
    await file.k.ok(['apply', '-f', '-'], podWith('wrong-secret', 'wrong'));
    for (const pod of ['anonymous', 'wrong-secret']) {
      await backOff(pod);
      const failed = (await events(pod)).find((e) => e.message.startsWith('Failed to pull image'));
      expect(failed?.message).toContain(
        `unexpected status from HEAD request to https://${PRIVATE_REGISTRY.host}/v2/e2e/agnhost/manifests/2.52: 401 Unauthorized`,
      );
    }
    await file.k.ok(['apply', '-f', '-'], podWith('right-secret', 'right'));
    await file.k.ok(['wait', '--for=condition=Ready', 'pod/right-secret', '-n', NS, '--timeout=30s']);
  });

  it('imagePullPolicy Never with the image absent: ErrImageNeverPull, no pull attempted', async () => {
    await file.k.ok(['run', 'never', '-n', NS, '--image=nginx:1.27', '--image-pull-policy=Never']);
    const w = await until(
      () => waiting('never'),
      (s) => s.includes('ErrImageNeverPull'),
      'ErrImageNeverPull',
    );
    expect(JSON.parse(w).message).toBe('Container image "nginx:1.27" is not present with pull policy of Never');
    expect((await events('never')).some((e) => e.reason === 'Pulling')).toBe(false);
  });

  it('a wrong command crash-loops: an unknown agnhost flag, a missing binary', async () => {
    await file.k.ok([
      'run',
      'badflag',
      '-n',
      NS,
      '--image=registry.k8s.io/e2e-test-images/agnhost:2.52',
      '--',
      'netexec',
      '--bogus',
    ]);
    await file.k.ok(['run', 'nobinary', '-n', NS, '--image=busybox:1.36', '--command', '--', 'nosuchbinary']);
    for (const pod of ['badflag', 'nobinary']) {
      await until(
        () => waiting(pod),
        (s) => s.includes('CrashLoopBackOff'),
        `${pod} in CrashLoopBackOff`,
      );
      const ev = await events(pod);
      expect(ev.find((e) => e.reason === 'BackOff')?.message).toMatch(
        /^Back-off restarting failed container \S+ in pod /,
      );
    }
    const badflag = await file.k.ok(['logs', 'badflag', '-n', NS, '--previous']);
    expect(badflag).toContain('Error: unknown flag: --bogus\n');
    const last = JSON.parse(
      await file.k.ok([
        'get',
        'pod',
        'nobinary',
        '-n',
        NS,
        '-o',
        'jsonpath={.status.containerStatuses[0].lastState.terminated}',
      ]),
    );
    expect(last).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(last.message).toContain('exec: "nosuchbinary": executable file not found in $PATH: unknown');
    const failed = (await events('nobinary')).find((e) => e.reason === 'Failed');
    expect(failed?.message).toMatch(
      /^Error: failed to create containerd task: .*exec: "nosuchbinary": executable file not found/,
    );
  });
});
