/**
 * kube-apiserver's `apiserver_storage_transformation_operations_total` counter, printed in
 * the Prometheus text format the real /metrics serves. A family with no series is left out,
 * as client_golang does (a kube-apiserver without an EncryptionConfiguration prints none).
 */

const NAME = 'apiserver_storage_transformation_operations_total';
const HELP =
  "[ALPHA] Total number of transformations. Successful transformation will have a status 'OK' and a varied status string when the transformation fails. The status, resource, and transformation_type fields can be used for alerting purposes. For example, you can monitor for encryption/decryption failures using the transformation_type (e.g., from_storage for decryption and to_storage for encryption). Additionally, these fields can be used to ensure that the correct transformers are applied to each resource.";
/** Before the `resource` label was added (kube-apiserver ≤ 1.29). */
const OLD_HELP =
  "[ALPHA] Total number of transformations. Successful transformation will have a status 'OK' and a varied status string when the transformation fails. This status and transformation_type fields may be used for alerting on encryption/decryption failure using transformation_type from_storage for decryption and to_storage for encryption";

export type TransformationType = 'to_storage' | 'from_storage';

export interface TransformationCounters {
  record(resource: string, type: TransformationType, prefix: string): void;
  text(): string;
}

export function createTransformationCounters(options: { resourceLabel: boolean }): TransformationCounters {
  const counts = new Map<string, number>();
  return {
    record(resource, type, prefix) {
      const labels = options.resourceLabel ? [['resource', resource]] : [];
      labels.push(['status', 'OK'], ['transformation_type', type], ['transformer_prefix', prefix]);
      const key = labels.map(([name, value]) => `${name}="${value}"`).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    text() {
      if (counts.size === 0) return '';
      const series = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return [
        `# HELP ${NAME} ${options.resourceLabel ? HELP : OLD_HELP}`,
        `# TYPE ${NAME} counter`,
        ...series.map(([labels, count]) => `${NAME}{${labels}} ${count}`),
        '',
      ].join('\n');
    },
  };
}
