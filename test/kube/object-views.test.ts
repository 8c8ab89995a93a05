/**
 * The objects ClusterAccess hands back are typed per resource (src/kube/objects.ts): a misspelt
 * field path does not compile (`tsc` in `npm test` checks the `@ts-expect-error` lines below
 * still are errors), instead of reading `undefined` and turning into a false `failed`.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterAccess, ObjectOf } from '../../src/kube/cluster-access.js';
import type { Node, Pod } from '../../src/kube/objects.js';

describe('typed object views', () => {
  it('types what get and list return by resource', async () => {
    const pod: Pod = { metadata: { name: 'web-1' }, spec: { nodeName: 'worker-1' }, status: { phase: 'Running' } };
    const cluster = { get: async () => pod } as unknown as Pick<ClusterAccess, 'get'>;
    const got: ObjectOf<'pods'> = await cluster.get('pods', 'web-1', 'ns');
    expect(got.spec?.nodeName).toBe('worker-1');
    // @ts-expect-error a misspelt field path is a compile error
    expect(got.spec?.nodeNme).toBeUndefined();
    const node: Node = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    // @ts-expect-error a field of another resource does not exist on this one
    expect(node.spec?.nodeName).toBeUndefined();
    expect(node.status?.conditions?.[0]?.type).toBe('Ready');
  });
});
