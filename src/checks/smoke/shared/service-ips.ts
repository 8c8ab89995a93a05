import type { Service } from '../../../kube/objects.js';
import { ipFamily } from './ip.js';

/** `spec.ipFamilies` (primary first), or the family of the ClusterIP on servers that predate the field. */
export function serviceFamilies(svc: Service): string[] {
  const listed: string[] = svc.spec?.ipFamilies ?? [];
  if (listed.length > 0) return listed;
  return [ipFamily(svc.spec?.clusterIP ?? '') ?? 'IPv4'];
}

/** `spec.clusterIPs` (one per family on a dual-stack Service, primary first), or `spec.clusterIP`. */
export function serviceClusterIps(svc: Service): string[] {
  const listed: string[] = (svc.spec?.clusterIPs ?? []).filter(
    (ip: unknown) => typeof ip === 'string' && ip !== 'None',
  );
  if (listed.length > 0) return listed;
  const one = svc.spec?.clusterIP;
  return typeof one === 'string' && one !== '' && one !== 'None' ? [one] : [];
}
