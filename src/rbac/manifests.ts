import { Document, type YAMLSeq } from 'yaml';
import type { RbacNeed } from '../kernel/catalog.js';
import { bindingOf, optionalOnly } from './permission.js';
import { toRules } from './rules.js';

export const SERVICE_ACCOUNT = { name: 'kubeproof', namespace: 'kubeproof' } as const;

const HEADER = `# Least-privilege RBAC for the selected kubeproof checks.
# Apply, then make a token kubeconfig for kubeproof:
#   kubectl apply -f kubeproof-rbac.yaml
#   TOKEN=$(kubectl create token ${SERVICE_ACCOUNT.name} -n ${SERVICE_ACCOUNT.namespace} --duration=1h)
#   kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'
# and put the server, that CA data and the token in a kubeconfig (see README).
# Run-scoped permissions are granted cluster-wide because each audit creates its own
# namespace (kubeproof-<id>) and RBAC cannot match namespaces by name prefix.
`;

const OPTIONAL_NOTE = ` Optional: the checks run without these, with weaker evidence (preflight.api warns
 when they are missing). Leave this role and its binding out for the strictest least privilege.`;

const labels = { 'app.kubernetes.io/name': 'kubeproof' };
const subjects = [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT.name, namespace: SERVICE_ACCOUNT.namespace }];

/** A ClusterRole (namespace undefined) or a Role in kube-system, and its binding; none without rules. */
function roleAndBinding(needs: readonly RbacNeed[], name: string, namespace: string | undefined, optional: boolean) {
  const rules = toRules(needs);
  if (rules.length === 0) return [];
  const kind = namespace ? 'Role' : 'ClusterRole';
  const metadata = namespace ? { name, namespace, labels } : { name, labels };
  const role = new Document({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata,
    rules: rules.map((r) => r.rule),
  });
  if (optional) {
    role.commentBefore = OPTIONAL_NOTE;
    const items = (role.get('rules', true) as YAMLSeq).items;
    rules.forEach((r, i) => {
      const item = items[i] as { commentBefore?: string } | undefined;
      if (item) item.commentBefore = ` optional: ${r.purposes.join('; ') || 'stronger evidence'}`;
    });
  }
  const binding = new Document({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: `${kind}Binding`,
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    subjects,
  });
  return [role, binding];
}

/** The role documents of one kind (required or optional), cluster-wide first, then kube-system. */
function roles(needs: readonly RbacNeed[], name: string, optional: boolean): Document[] {
  return [
    ...roleAndBinding(
      needs.filter((n) => bindingOf(n) === 'cluster'),
      name,
      undefined,
      optional,
    ),
    ...roleAndBinding(
      needs.filter((n) => bindingOf(n) === 'kube-system'),
      name,
      'kube-system',
      optional,
    ),
  ];
}

/**
 * Renders the ServiceAccount, a ClusterRole(+Binding) for run- and cluster-scoped needs and
 * non-resource URLs, a Role(+Binding) in kube-system for what the checks read there, and the
 * same pair named `kubeproof-audit-optional` for optional needs (each rule commented with
 * what it enables), as one YAML stream.
 * @example
 * renderRbacManifests(catalog.filter((c) => ids.includes(c.id)).flatMap((c) => c.rbac));
 */
export function renderRbacManifests(needs: readonly RbacNeed[]): string {
  const docs: Document[] = [
    new Document({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SERVICE_ACCOUNT.namespace, labels } }),
    new Document({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...SERVICE_ACCOUNT, labels } }),
    ...roles(
      needs.filter((n) => !n.optional),
      'kubeproof-audit',
      false,
    ),
    ...roles(optionalOnly(needs), 'kubeproof-audit-optional', true),
  ];
  return HEADER + docs.map((doc) => `---\n${doc.toString()}`).join('');
}
