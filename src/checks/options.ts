import { z } from '@hono/zod-openapi';
import { NamespaceChoice, PodOptions } from './workload-options.js';

/** etcd client material for the etcd-direct encryption strategy: secret, never stored. */
export const EtcdAccess = z
  .object({
    endpoints: z
      .array(z.string().url())
      .min(1)
      .max(5)
      .openapi({ description: 'etcd client URLs (https)', example: ['https://10.0.0.10:2379'] }),
    caData: z.string().optional().openapi({ description: 'PEM CA bundle that signed the etcd server certificate' }),
    certData: z.string().optional().openapi({ description: 'PEM client certificate for etcd' }),
    keyData: z.string().optional().openapi({ description: 'PEM client key for etcd; never stored, never logged' }),
  })
  .strict()
  .openapi('EtcdAccess');
export type EtcdAccess = z.infer<typeof EtcdAccess>;

/** `.dockerconfigjson` text: a JSON object with `auths`, as `kubectl create secret docker-registry` writes it. */
const DockerConfigJson = z
  .string()
  .max(64 * 1024)
  .refine((text) => {
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null && 'auths' in parsed;
    } catch {
      return false;
    }
  }, 'must be .dockerconfigjson text: a JSON object with "auths"')
  .openapi({
    description:
      'Registry credentials for the images, as `.dockerconfigjson` text. kubeproof creates them as the Secret ' +
      '`kubeproof-pull` in the run namespace and references it from every pod; never stored, never logged. ' +
      'Needs `create secrets` in the run namespace (the encryption group asks for it too).',
    example: '{"auths":{"mirror.example:5000":{"auth":"<base64 user:password>"}}}',
  });

export const EncryptionStrategy = z
  .enum(['auto', 'etcd-direct', 'etcd-exec', 'apiserver-metrics', 'apiserver-flags'])
  .openapi({ description: 'How secrets.encryption gathers evidence; auto tries the strongest first' });
export type EncryptionStrategy = z.infer<typeof EncryptionStrategy>;

/** The images a run uses when the caller names none (the smoke test's agnhost web and busybox client, docs/guide.md). */
const DEFAULT_IMAGES = { web: 'registry.k8s.io/e2e-test-images/agnhost:2.52', client: 'busybox:1.36' } as const;

export const AuditOptions = z
  .object({
    replicas: z
      .number()
      .int()
      .min(2)
      .max(10)
      .default(3)
      .openapi({ description: 'web Deployment replicas', example: 3 }),
    images: z
      .object({
        web: z.string().min(1).default(DEFAULT_IMAGES.web).openapi({
          description: 'Image of the web Deployment (agnhost netexec)',
          example: DEFAULT_IMAGES.web,
        }),
        client: z
          .string()
          .min(1)
          .default(DEFAULT_IMAGES.client)
          .openapi({ description: 'Image of the client pod (busybox)', example: DEFAULT_IMAGES.client }),
        pullSecret: DockerConfigJson.optional(),
      })
      .strict()
      .default({ ...DEFAULT_IMAGES })
      .openapi({ description: 'Images for the in-cluster workload (point them at a registry mirror when air-gapped)' }),
    namespace: NamespaceChoice,
    pods: PodOptions,
    clusterDomain: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a DNS domain such as cluster.local')
      .optional()
      .openapi({
        description:
          "Cluster DNS domain. When absent, dns.service reads it from the client pod's /etc/resolv.conf search list " +
          '(the kubelet writes `<namespace>.svc.<domain>` there); the report says where it came from.',
        example: 'cluster.local',
      }),
    encryption: z
      .object({
        strategy: EncryptionStrategy.default('auto'),
        etcd: EtcdAccess.optional(),
        required: z
          .boolean()
          .default(false)
          .openapi({
            description:
              'When true, a cluster where encryption at rest cannot be observed (a managed control plane: no etcd access, ' +
              'no static pods, /metrics denied) makes secrets.encryption `error` (cause `not-observable`) instead of ' +
              '`skipped` with reason `not-observable`',
            example: false,
          }),
      })
      .strict()
      .default({ strategy: 'auto', required: false })
      .openapi({
        description: 'How secrets.encryption gathers evidence, and etcd access for the etcd-direct strategy',
      }),
  })
  // Options are typed by people: a misspelt one ("replica") is refused, never silently ignored.
  .strict()
  .openapi('AuditOptions');
export type AuditOptions = z.infer<typeof AuditOptions>;
