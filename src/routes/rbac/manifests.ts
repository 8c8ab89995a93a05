import { stringify } from 'yaml';
import type { RbacNeed } from '../../checks/types.js';

export const SERVICE_ACCOUNT = { name: 'kubeproof', namespace: 'kubeproof' } as const;

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Merges needs into rules: one rule per (group, resource[/subresource]), verbs sorted, deterministic order. */
function toRules(needs: readonly RbacNeed[]): Rule[] {
  const byResource = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const need of needs) {
    const resource = need.subresource ? `${need.resource}/${need.subresource}` : need.resource;
    const key = `${need.group}\u0000${resource}`;
    const entry = byResource.get(key) ?? { group: need.group, resource, verbs: new Set<string>() };
    entry.verbs.add(need.verb);
    byResource.set(key, entry);
  }
  return [...byResource.values()]
    .sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource))
    .map((e) => ({ apiGroups: [e.group], resources: [e.resource], verbs: [...e.verbs].sort() }));
}

const HEADER = `# Least-privilege RBAC for the selected kubeproof checks.
# Apply, then make a token kubeconfig for kubeproof:
#   kubectl apply -f kubeproof-rbac.yaml
#   TOKEN=$(kubectl create token ${SERVICE_ACCOUNT.name} -n ${SERVICE_ACCOUNT.namespace} --duration=1h)
#   kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'
# and put the server, that CA data and the token in a kubeconfig (see README).
# Run-scoped permissions are granted cluster-wide because each audit creates its own
# namespace (kubeproof-<id>) and RBAC cannot match namespaces by name prefix.
`;

/**
 * Renders the ServiceAccount, ClusterRole(+Binding) for run- and cluster-scoped needs, and a
 * Role(+Binding) in kube-system for what the checks read there, as one YAML stream.
 */
export function renderRbacManifests(needs: readonly RbacNeed[]): string {
  const subject = [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT.name, namespace: SERVICE_ACCOUNT.namespace }];
  const labels = { 'app.kubernetes.io/name': 'kubeproof' };
  const docs: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SERVICE_ACCOUNT.namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...SERVICE_ACCOUNT, labels } },
  ];
  const clusterRules = toRules(needs.filter((n) => n.scope !== 'kube-system'));
  if (clusterRules.length > 0) {
    docs.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'kubeproof-audit', labels },
        rules: clusterRules,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kubeproof-audit', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubeproof-audit' },
        subjects: subject,
      },
    );
  }
  const systemRules = toRules(needs.filter((n) => n.scope === 'kube-system'));
  if (systemRules.length > 0) {
    docs.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'kubeproof-audit', namespace: 'kube-system', labels },
        rules: systemRules,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'kubeproof-audit', namespace: 'kube-system', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubeproof-audit' },
        subjects: subject,
      },
    );
  }
  return HEADER + docs.map((doc) => `---\n${stringify(doc)}`).join('');
}
