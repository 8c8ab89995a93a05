/**
 * `kubectl cp` (issue 9 item 8's busybox tar), driven with the real kubectl: out of a pod it
 * execs `tar cf - <path>` and unpacks the stream; into a pod it execs `test -d <dest>` and
 * `tar -xmf - -C <dir>` with the archive on stdin (staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCluster } from '../index.js';
import { hasKubectl, kubectlSimPerFile } from '../kubectl.test-helper.js';

const file = kubectlSimPerFile({ beforeAll, afterAll }, () => startSimCluster());
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeproof-cp-'));
  if (!hasKubectl) return;
  await file.k.ok(['run', 'box', '--image=busybox:1.36', '--', 'sleep', '3600']);
  await file.k.ok(['wait', '--for=condition=Ready', 'pod/box', '--timeout=30s']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasKubectl)('kubectl cp (busybox tar)', () => {
  it('copies a file out of the pod', async () => {
    const out = join(dir, 'hosts');
    await file.k.ok(['cp', 'default/box:/etc/hosts', out]);
    expect(readFileSync(out, 'utf8')).toContain('# Kubernetes-managed hosts file.');
    expect(readFileSync(out, 'utf8')).toMatch(/\tbox\n$/);
  });

  it('copies a file into the pod, to a directory and to a file name', async () => {
    const local = join(dir, 'note.txt');
    writeFileSync(local, 'hello from kubectl cp\n');
    await file.k.ok(['cp', local, 'default/box:/tmp']);
    expect(await file.k.ok(['exec', 'box', '--', 'cat', '/tmp/note.txt'])).toBe('hello from kubectl cp\n');
    await file.k.ok(['cp', local, 'default/box:/tmp/renamed.txt']);
    expect(await file.k.ok(['exec', 'box', '--', 'cat', '/tmp/renamed.txt'])).toBe('hello from kubectl cp\n');
  });

  it('fails for a path that is not there (tar exits 1; kubectl reports the exit code)', async () => {
    const r = await file.k.run(['cp', 'default/box:/nope.txt', join(dir, 'nope')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('command terminated with exit code 1');
    const tar = await file.k.run(['exec', 'box', '--', 'tar', 'cf', '-', '/nope.txt']);
    expect(tar.stderr).toContain('tar: /nope.txt: No such file or directory\n');
  });
});
