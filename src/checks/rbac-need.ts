import type { RbacNeed } from '../kernel/catalog.js';

/**
 * One resource permission a check declares (preflight reviews it, `GET /v1/rbac` grants it).
 * @example rbacNeed('create', '', 'pods', 'run', 'exec') // create pods/exec in the run namespace
 */
export function rbacNeed(
  verb: string,
  group: string,
  resource: string,
  scope: RbacNeed['scope'],
  subresource?: string,
): RbacNeed {
  return subresource ? { verb, group, resource, subresource, scope } : { verb, group, resource, scope };
}
