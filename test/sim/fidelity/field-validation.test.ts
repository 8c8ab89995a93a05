/**
 * Issue 9 item 8, server-side field validation: kubectl's default `--validate=strict` (it sends
 * fieldValidation=Strict because the OpenAPI v3 document lists the parameter), `--validate=warn`
 * and `--validate=false`, and the Python client, which sends no directive (the server's Warn).
 */
import { describe, expect, it } from 'vitest';
import { hasKubectl } from '../kubectl.test-helper.js';
import { hasPythonClient, runPythonProbe } from './python.test-helper.js';
import { useSimWithKubectl } from './sim-kubectl.test-helper.js';

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  colour: blue\ndata:\n  a: b\nextra: 2\n`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: typo
spec:
  replicas: 1
  selector:
    matchLabels: { app: typo }
  template:
    metadata:
      labels: { app: typo }
    spec:
      containers:
        - name: web
          image: registry.k8s.io/e2e-test-images/agnhost:2.52
          imagePullPolicyy: Always
          ports:
            - containerPort: 8080
              portt: 1
      hostAliases: [{ ip: 127.0.0.1, hostnames: [local] }]
`;

describe.runIf(hasKubectl)('field validation (kubectl)', () => {
  const env = useSimWithKubectl();

  it('refuses unknown fields under the default --validate=strict, naming each path', async () => {
    const created = await env.k.run(['apply', '-f', '-'], configMap('strict'));
    expect(created).toEqual({
      stdout: '',
      stderr:
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra", unknown field "metadata.colour"\n',
      code: 1,
    });
    const nested = await env.k.run(['create', '-f', '-'], deployment);
    expect(nested.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy", unknown field "spec.template.spec.containers[0].ports[0].portt"\n',
    );
    expect((await env.k.run(['get', 'configmap', 'strict'])).code).toBe(1);
  });

  it('refuses them on replace too, and accepts the same objects without them', async () => {
    await env.k.ok(['create', 'configmap', 'replaced', '--from-literal=a=b']);
    const replaced = await env.k.run(['replace', '-f', '-'], configMap('replaced'));
    expect(replaced.stderr).toBe(
      'Error from server (BadRequest): error when replacing "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra", unknown field "metadata.colour"\n',
    );
    const fixed = deployment.replace('imagePullPolicyy', 'imagePullPolicy').replace(/\n\s+portt: 1/, '');
    expect(await env.k.ok(['apply', '-f', '-'], fixed)).toBe('deployment.apps/typo created\n');
  });

  it('warns and drops them under --validate=warn, drops them silently under --validate=false', async () => {
    const warned = await env.k.run(['apply', '--validate=warn', '-f', '-'], configMap('warned'));
    expect(warned).toEqual({
      stdout: 'configmap/warned created\n',
      stderr: 'Warning: unknown field "extra"\nWarning: unknown field "metadata.colour"\n',
      code: 0,
    });
    const ignored = await env.k.run(['apply', '--validate=false', '-f', '-'], configMap('ignored'));
    expect(ignored).toEqual({ stdout: 'configmap/ignored created\n', stderr: '', code: 0 });
    for (const name of ['warned', 'ignored']) {
      const stored = JSON.parse(await env.k.ok(['get', 'configmap', name, '-o', 'json']));
      expect(stored.extra).toBeUndefined();
      expect(stored.metadata.colour).toBeUndefined();
      expect(stored.data).toEqual({ a: 'b' });
    }
  });
});

describe.runIf(hasPythonClient)('field validation (Python client)', () => {
  const env = useSimWithKubectl();

  // The Python client keeps the dict's order (metadata before extra), and the decoder reports
  // unknown fields in the order it meets them; kubectl's bodies are sorted by key.
  it('gets the Warn default without a directive, and the strict 400 with one', async () => {
    const seen = await runPythonProbe('field_validation_probe.py', env.sim.kubeconfig);
    expect(seen).toEqual({
      status: 201,
      warning: '299 - "unknown field \\"metadata.colour\\"", 299 - "unknown field \\"extra\\""',
      storedKeys: ['apiVersion', 'data', 'kind', 'metadata'],
      storedMetadataKeys: expect.not.arrayContaining(['colour']),
      strict: {
        status: 400,
        reason: 'BadRequest',
        message:
          'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.colour", unknown field "extra"',
      },
    });
  });
});
