import { Document, type YAMLSeq } from 'yaml';
import { type Binding, bindingOf, optionalOnly } from './permission.js';
import { type AttributedNeed, type ExplainedRule, toRules } from './rules.js';

/** The ServiceAccount of the default mode, in a namespace of its own. */
export const SERVICE_ACCOUNT = { name: 'kubeproof', namespace: 'kubeproof' } as const;

const tokenSteps = (namespace: string) => `# Apply, then make a token kubeconfig for kubeproof:
#   kubectl apply -f kubeproof-rbac.yaml
#   TOKEN=$(kubectl create token ${SERVICE_ACCOUNT.name} -n ${namespace} --duration=1h)
#   kubectl config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'
# and put the server, that CA data and the token in a kubeconfig (see README).
`;

const HEADER = `# Least-privilege RBAC for the selected kubeproof checks.
${tokenSteps(SERVICE_ACCOUNT.namespace)}# Run-scoped permissions are granted cluster-wide because each audit creates its own
# namespace (kubeproof-<id>) and RBAC cannot match namespaces by name prefix. For grants in one
# namespace only, see GET /v1/rbac?namespace=NAME (audits with options.namespace=NAME).
`;

const namespacedHeader = (
  namespace: string,
) => `# Least-privilege RBAC for the selected kubeproof checks, run inside the existing namespace
# ${namespace} (audits with options.namespace=${namespace}, or KUBEPROOF_AUDIT_NAMESPACE=${namespace}).
# kubeproof never creates, changes or deletes that namespace: it creates its run's objects there
# (names prefixed kubeproof-<id>-, label kubeproof.io/run-id) and deletes exactly those afterwards.
# Everything it does there is granted by the Role below; cluster-wide it only reads.
# The namespace must exist before you apply this (kubectl create namespace ${namespace}).
${tokenSteps(namespace)}`;

const OPTIONAL_NOTE = ` Optional: the checks run without these, with weaker evidence (preflight.api warns
 when they are missing). Leave this role and its binding out for the strictest least privilege.`;

const labels = { 'app.kubernetes.io/name': 'kubeproof' };

/** What a rule is for, as its comment: the purposes given, then the checks that need it. */
function commentOf(r: ExplainedRule, optional: boolean): string {
  const checks = r.usedBy.length ? `for ${r.usedBy.join(', ')}` : '';
  const purposes = r.purposes.join('; ');
  if (optional) return ` optional: ${purposes || 'stronger evidence'}${checks ? ` (${checks})` : ''}`;
  return ` ${[checks, purposes].filter(Boolean).join(': ') || 'needed by the selected checks'}`;
}

/** A ClusterRole (cluster binding) or a Role in a namespace, and its binding; none without rules. */
function roleAndBinding(
  needs: readonly AttributedNeed[],
  name: string,
  binding: Binding,
  optional: boolean,
  subjects: readonly Record<string, string>[],
) {
  const rules = toRules(needs);
  if (rules.length === 0) return [];
  const namespace = binding === 'cluster' ? undefined : binding === 'kube-system' ? 'kube-system' : binding.namespace;
  const kind = namespace ? 'Role' : 'ClusterRole';
  const metadata = namespace ? { name, namespace, labels } : { name, labels };
  const role = new Document({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata,
    rules: rules.map((r) => r.rule),
  });
  if (optional) role.commentBefore = OPTIONAL_NOTE;
  const items = (role.get('rules', true) as YAMLSeq).items;
  rules.forEach((r, i) => {
    const item = items[i] as { commentBefore?: string } | undefined;
    if (item) item.commentBefore = commentOf(r, optional);
  });
  const roleBinding = new Document({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: `${kind}Binding`,
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    subjects,
  });
  return [role, roleBinding];
}

const sameBinding = (a: Binding, b: Binding) =>
  typeof a === 'string' || typeof b === 'string' ? a === b : a.namespace === b.namespace;

/** The role documents of one kind (required or optional): cluster-wide, kube-system, the operator's namespace. */
function roles(
  needs: readonly AttributedNeed[],
  name: string,
  optional: boolean,
  namespace: string | undefined,
  subjects: readonly Record<string, string>[],
): Document[] {
  const bindings: Binding[] = ['cluster', 'kube-system', ...(namespace ? [{ namespace }] : [])];
  return bindings.flatMap((binding) =>
    roleAndBinding(
      needs.filter((n) => sameBinding(bindingOf(n, namespace), binding)),
      name,
      binding,
      optional,
      subjects,
    ),
  );
}

/**
 * Renders the RBAC of the selected checks as one YAML stream, every rule commented with what it
 * is for (the checks needing it, what optional ones enable):
 * - default mode: a `kubeproof` namespace with the ServiceAccount, a ClusterRole(+Binding) for
 *   run- and cluster-scoped needs and non-resource URLs, a Role(+Binding) in kube-system;
 * - `namespace` (least-privilege mode, `options.namespace`): the ServiceAccount in that existing
 *   namespace, a Role(+Binding) there for everything the run does, a ClusterRole only for the
 *   cluster-scoped reads, a Role in kube-system. The needs are already the mode's
 *   (namespaceModeNeeds: no namespace lifecycle, cleanup by label).
 * The same pairs named `kubeproof-audit-optional` hold the optional needs.
 * @example
 * renderRbacManifests(catalog.filter((c) => ids.includes(c.id)).flatMap((c) => c.rbac));
 */
export function renderRbacManifests(needs: readonly AttributedNeed[], namespace?: string): string {
  const account = { name: SERVICE_ACCOUNT.name, namespace: namespace ?? SERVICE_ACCOUNT.namespace };
  const subjects = [{ kind: 'ServiceAccount', ...account }];
  const docs: Document[] = [
    ...(namespace
      ? []
      : [new Document({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: account.namespace, labels } })]),
    new Document({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...account, labels } }),
    ...roles(
      needs.filter((n) => !n.optional),
      'kubeproof-audit',
      false,
      namespace,
      subjects,
    ),
    ...roles(optionalOnly(needs, namespace), 'kubeproof-audit-optional', true, namespace, subjects),
  ];
  const header = namespace ? namespacedHeader(namespace) : HEADER;
  return header + docs.map((doc) => `---\n${doc.toString()}`).join('');
}
