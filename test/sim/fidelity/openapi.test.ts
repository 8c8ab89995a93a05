/**
 * Issue 9 item 8 (OpenAPI): `kubectl explain` walks the served schemas (OpenAPI v3, refs
 * included), `/openapi/v2` answers a JSON client with the same definitions and kubectl's v2
 * fetch in protobuf (`explain --output plaintext-openapiv2`), and kubectl apply still works
 * against them.
 */
import { describe, expect, it } from 'vitest';
import { hasKubectl, seedManifest } from '../kubectl.test-helper.js';
import { rawRequest } from '../sim-http.test-helper.js';
import { useSimWithKubectl } from './sim-kubectl.test-helper.js';

describe.runIf(hasKubectl)('OpenAPI for kubectl explain and apply', () => {
  const env = useSimWithKubectl();

  it('kubectl explain describes kinds and nested fields', async () => {
    const pod = await env.k.ok(['explain', 'pods']);
    expect(pod).toMatch(/^KIND:\s+Pod$/m);
    expect(pod).toMatch(/^VERSION:\s+v1$/m);
    expect(pod).toMatch(/^\s+spec\s+<PodSpec>$/m);
    const probe = await env.k.ok(['explain', 'pods.spec.containers.readinessProbe']);
    expect(probe).toMatch(/^FIELD:\s+readinessProbe <Probe>$/m);
    expect(probe).toMatch(/^\s+periodSeconds\s+<integer>$/m);
    const surge = await env.k.ok(['explain', 'deployment.spec.strategy.rollingUpdate.maxSurge']);
    expect(surge).toMatch(/^FIELD:\s+maxSurge <IntOrString>$/m);
    const missing = await env.k.run(['explain', 'pods.spec.nosuchfield']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('field "nosuchfield" does not exist');
  });

  it('kubectl explain describes the other kinds the sim serves: Lease, DaemonSet, EndpointSlice, RBAC', async () => {
    expect(await env.k.ok(['explain', 'leases.spec'])).toMatch(/^\s+renewTime\s+<string>$/m);
    expect(await env.k.ok(['explain', 'daemonsets.spec.updateStrategy'])).toMatch(/^\s+type\s+<string>$/m);
    expect(await env.k.ok(['explain', 'endpointslices.ports'])).toMatch(/^\s+port\s+<integer>$/m);
    expect(await env.k.ok(['explain', 'clusterroles.rules'])).toMatch(/^\s+nonResourceURLs\s+<\[\]string>$/m);
    expect(await env.k.ok(['explain', 'rolebindings.roleRef'])).toMatch(/^\s+kind\s+<string>$/m);
  });

  it('serves /openapi/v2 as Swagger 2.0 JSON with the same definitions', async () => {
    const doc = (await rawRequest(env.sim, 'GET', '/openapi/v2')).json();
    expect(doc.swagger).toBe('2.0');
    const deployment = doc.definitions['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    // Swagger 2.0 style, as the real document: `$ref` beside the description, no allOf/anyOf.
    expect(deployment.properties.spec.properties.template.$ref).toBe(
      '#/definitions/io.k8s.api.core.v1.PodTemplateSpec',
    );
    expect(doc.definitions['io.k8s.api.core.v1.Container'].properties.image.type).toBe('string');
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      type: 'string',
      format: 'int-or-string',
    });
  });

  it("answers kubectl's protobuf /openapi/v2 fetch: explain --output plaintext-openapiv2 walks it", async () => {
    const probe = await env.k.ok(['explain', 'pods.spec.containers.startupProbe', '--output=plaintext-openapiv2']);
    expect(probe).toMatch(/^KIND:\s+Pod$/m);
    expect(probe).toMatch(/^RESOURCE:\s+startupProbe <Object>$/m);
    expect(probe).toMatch(/^\s+failureThreshold\s+<integer>$/m);
    const strategy = await env.k.ok([
      'explain',
      'deployments.spec.strategy',
      '--output=plaintext-openapiv2',
      '--recursive',
    ]);
    expect(strategy).toMatch(/^VERSION:\s+apps\/v1$/m);
    expect(strategy).toMatch(/^\s+rollingUpdate\s+<Object>\n\s+maxSurge\s+<string>$/m);
    const missing = await env.k.run(['explain', 'pods.spec.nosuchfield', '--output=plaintext-openapiv2']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('field "nosuchfield" does not exist');
    const refused = await rawRequest(env.sim, 'GET', '/openapi/v2', { headers: { Accept: 'application/yaml' } });
    expect(refused.status).toBe(406);
  });

  it('kubectl apply and re-apply still work with the schemas in place', async () => {
    expect(await env.k.ok(['apply', '-f', '-'], seedManifest)).toBe(
      'deployment.apps/web created\nservice/web created\n',
    );
    expect(await env.k.ok(['apply', '-f', '-'], seedManifest)).toBe(
      'deployment.apps/web unchanged\nservice/web unchanged\n',
    );
    const changed = seedManifest.replace('replicas: 3', 'replicas: 2');
    expect(await env.k.ok(['apply', '-f', '-'], changed)).toBe(
      'deployment.apps/web configured\nservice/web unchanged\n',
    );
  });
});
