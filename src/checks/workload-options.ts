/**
 * What operators add to kubeproof's namespace and pods so that their cluster's policies admit
 * them: labels, annotations, tolerations, a node selector, a priority class. Validated as the
 * API server would (label syntax), so a typo is a 400 at submission rather than a refused pod
 * minutes later.
 */
import { z } from '@hono/zod-openapi';

// A qualified name with an optional DNS-subdomain prefix (apimachinery validation.IsQualifiedName).
const NAME = '([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]';
const PREFIX = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const LABEL_KEY = new RegExp(`^(${PREFIX}/)?${NAME}$`);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const labelKey = z
  .string()
  .max(316)
  .regex(LABEL_KEY, 'a label/annotation key is [prefix/]name: name ≤63 of [A-Za-z0-9-_.], prefix a DNS subdomain');
const Labels = z
  .record(
    labelKey,
    z.string().max(63).regex(LABEL_VALUE, 'a label value is ≤63 of [A-Za-z0-9-_.], alphanumeric at both ends'),
  )
  .refine((l) => Object.keys(l).length <= 32, 'at most 32 labels');
const Annotations = z
  .record(labelKey, z.string().max(4096))
  .refine((a) => Object.keys(a).length <= 32, 'at most 32 annotations');

export const Toleration = z
  .object({
    key: labelKey
      .optional()
      .openapi({ description: 'Taint key; empty with Exists matches every taint', example: 'dedicated' }),
    operator: z
      .enum(['Exists', 'Equal'])
      .optional()
      .openapi({ description: 'Equal (default) or Exists', example: 'Equal' }),
    value: z.string().max(63).optional().openapi({ description: 'Taint value, for Equal', example: 'audit' }),
    effect: z
      .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      .optional()
      .openapi({ description: 'Taint effect to tolerate; empty matches all', example: 'NoSchedule' }),
    tolerationSeconds: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: 'For NoExecute: how long the pod stays bound after the taint appears', example: 300 }),
  })
  .strict()
  .openapi('Toleration', {
    description: 'A pod toleration, as in the Pod spec',
    example: { key: 'dedicated', operator: 'Equal', value: 'audit', effect: 'NoSchedule' },
  });

export const NamespaceOptions = z
  .object({
    labels: Labels.default({}).openapi({
      description:
        "Extra labels on kubeproof's run namespace (kubeproof's own labels win), e.g. what a policy engine selects on",
      example: { team: 'platform' },
    }),
    annotations: Annotations.default({}).openapi({
      description: "Extra annotations on kubeproof's run namespace",
      example: { 'scheduler.alpha.kubernetes.io/node-selector': 'pool=audit' },
    }),
  })
  .strict()
  // No default: an absent `options.namespace` must stay absent (see NamespaceChoice).
  .openapi('NamespaceOptions', { description: "What to add to kubeproof's run namespace" });

/** A namespace's name as the API server validates it (an RFC 1123 label). */
export const SharedNamespace = z
  .string()
  .max(63, 'a namespace name is at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a namespace name: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  )
  .openapi({
    description:
      'Least-privilege mode: the name of an existing namespace to run the whole workload in. kubeproof never creates, ' +
      "changes or deletes it; every object it creates there carries the run's name prefix and run-id label, and cleanup " +
      'deletes only those. `GET /v1/rbac?namespace=NAME` renders the Role it needs there.',
    example: 'kubeproof-audits',
  });

/**
 * `options.namespace`: a name (run inside that existing namespace: least-privilege mode), or what
 * to add to the namespace kubeproof creates for the run (the default mode).
 */
export const NamespaceChoice = z
  .union([SharedNamespace, NamespaceOptions], {
    // Say what was wrong with the form given (the object's own field message), not "Invalid input".
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const inObject = typeof issue.input === 'object' && issue.input !== null ? issue.errors[1]?.[0] : undefined;
      if (inObject) return `${['', ...inObject.path.map(String)].join('.').slice(1) || 'object'}: ${inObject.message}`;
      return 'a namespace name (least-privilege mode) or an object with labels and annotations';
    },
  })
  // No default here: intake tells "not given" (then the server default applies) from a choice.
  .optional()
  .openapi({
    description:
      'A namespace name: run inside that existing namespace (least-privilege mode, no namespace created or deleted). ' +
      'An object: labels and annotations for the namespace kubeproof creates for the run (the default). ' +
      'Without it, the server default (KUBEPROOF_AUDIT_NAMESPACE) when set, else a namespace of its own.',
    example: 'kubeproof-audits',
  });

export const PodOptions = z
  .object({
    labels: Labels.default({}).openapi({
      description: "Extra labels on every kubeproof pod (kubeproof's own labels win)",
      example: { 'cost-center': 'sre' },
    }),
    annotations: Annotations.default({}).openapi({
      description: 'Extra annotations on every kubeproof pod',
      example: { 'sidecar.istio.io/inject': 'false' },
    }),
    tolerations: z
      .array(Toleration)
      .max(16)
      .default([])
      .openapi({ description: 'Tolerations for every kubeproof pod (to run on tainted nodes)' }),
    nodeSelector: Labels.default({}).openapi({
      description: "Added to every pod's nodeSelector (which always holds `kubernetes.io/os: linux`)",
      example: { 'node-role.kubernetes.io/worker': '' },
    }),
    priorityClassName: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a PriorityClass name is a DNS subdomain')
      .optional()
      .openapi({ description: 'PriorityClass of every kubeproof pod', example: 'audit-low' }),
  })
  .strict()
  .default({ labels: {}, annotations: {}, tolerations: [], nodeSelector: {} })
  .openapi('PodOptions', { description: 'What to add to every pod kubeproof runs' });
export type PodOptions = z.infer<typeof PodOptions>;
