/** One permission key for the permission review and the RBAC manifests (src/rbac/permission.ts). */
import { describe, expect, it } from 'vitest';
import { catalogChecks } from '../../src/checks/catalog.js';
import type { RbacNeed } from '../../src/kernel/catalog.js';
import { distinctPermissions, optionalOnly, permissionKey, permissionsOf } from '../../src/rbac/permission.js';

const exec: RbacNeed = { verb: 'create', group: '', resource: 'pods', subresource: 'exec', scope: 'run' };
const metrics: RbacNeed = { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster' };

describe('permissionKey', () => {
  it('is one key for a permission whether a check calls it optional or not, and tells scopes apart', () => {
    expect(permissionKey({ ...exec, optional: true, purpose: 'x' })).toBe(permissionKey(exec));
    expect(permissionKey({ ...exec, scope: 'kube-system' })).not.toBe(permissionKey(exec));
    expect(permissionKey({ ...exec, subresource: 'portforward' })).not.toBe(permissionKey(exec));
    expect(permissionKey({ ...exec, group: 'apps', resource: 'deployments', subresource: undefined })).toBe(
      'create deployments.apps run',
    );
    expect(permissionKey(metrics)).toBe('get path /metrics');
  });

  it('reviews each permission of the catalog once', () => {
    const all = permissionsOf(catalogChecks());
    const keys = new Set(all.map(permissionKey));
    expect([...distinctPermissions(all).keys()].sort()).toEqual([...keys].sort());
  });
});

describe('optionalOnly', () => {
  it('drops an optional need a required one already grants, where the grant covers it', () => {
    const optional = (n: RbacNeed): RbacNeed => ({ ...n, optional: true });
    // A cluster-wide grant (run scope is granted by the ClusterRole) covers kube-system.
    expect(optionalOnly([exec, optional({ ...exec, scope: 'kube-system' })])).toEqual([]);
    // A kube-system Role does not cover the run namespace.
    const inKubeSystem = { ...exec, scope: 'kube-system' as const };
    expect(optionalOnly([inKubeSystem, optional(exec)])).toEqual([optional(exec)]);
    expect(optionalOnly([metrics, optional(metrics)])).toEqual([]);
    expect(optionalOnly([optional(metrics)])).toEqual([optional(metrics)]);
  });
});
