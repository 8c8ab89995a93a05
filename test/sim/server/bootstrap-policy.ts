/**
 * The default roles kube-apiserver's `rbac/bootstrap-roles` post-start hook writes, the few a
 * client relies on: cluster-admin (bound to the system:masters group), system:discovery,
 * system:basic-user and system:public-info-viewer (bound to every authenticated user), with
 * the rules of plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go. Created when missing
 * at start, like the hook does (it reconciles them on every start; here once).
 */
import type { SimStore } from '../contracts.js';
import type { PolicyRule } from './rbac.js';

const defaults = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

const clusterRoles: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
  'system:discovery': [
    {
      verbs: ['get'],
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    },
  ],
  'system:basic-user': [
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ],
  'system:public-info-viewer': [
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ],
};

const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });

const clusterRoleBindings: Record<string, ReturnType<typeof group>[]> = {
  'cluster-admin': [group('system:masters')],
  'system:discovery': [group('system:authenticated')],
  'system:basic-user': [group('system:authenticated')],
  'system:public-info-viewer': [group('system:authenticated'), group('system:unauthenticated')],
};

export function ensureBootstrapPolicy(store: SimStore): void {
  for (const [name, rules] of Object.entries(clusterRoles)) {
    if (store.get('clusterroles', undefined, name)) continue;
    store.create('clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, ...structuredClone(defaults) },
      rules,
    });
  }
  for (const [name, subjects] of Object.entries(clusterRoleBindings)) {
    if (store.get('clusterrolebindings', undefined, name)) continue;
    store.create('clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, ...structuredClone(defaults) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    });
  }
}
