import type { RbacNeed } from '../../kernel/catalog.js';
import { rbacNeed } from '../rbac-need.js';

const optional = (n: RbacNeed, purpose: string): RbacNeed => ({ ...n, optional: true, purpose });
const WHY =
  'lets kubeproof tell what kind of cluster this is (CNI, kube-proxy mode, DNS server, pod ranges) for verdicts and hints';

/**
 * What reading the cluster's shape needs. All optional: without them the checks judge less
 * precisely (pod IP range unknown, generic hints) and say so; preflight only warns.
 */
export const SHAPE_RBAC: readonly RbacNeed[] = [
  optional(rbacNeed('list', 'apps', 'daemonsets', 'kube-system'), `${WHY}: CNI and kube-proxy DaemonSets`),
  optional(rbacNeed('list', 'apps', 'deployments', 'kube-system'), `${WHY}: the DNS Deployment`),
  optional(
    rbacNeed('list', '', 'pods', 'kube-system'),
    `${WHY}: static kube-proxy and controller-manager pods, DNS pods`,
  ),
  // One list reads every ConfigMap the shape may consult (a get per name would cost a request each).
  optional(
    rbacNeed('list', '', 'configmaps', 'kube-system'),
    `${WHY}: kube-proxy, kube-proxy-config, cilium-config and kubeadm-config`,
  ),
  optional(rbacNeed('list', 'crd.projectcalico.org', 'ippools', 'cluster'), `${WHY}: Calico IP pools`),
];
