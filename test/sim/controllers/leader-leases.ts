/**
 * The control plane's leader-election Leases (k8s.io/client-go/tools/leaderelection, as
 * kube-scheduler and kube-controller-manager run it): `kube-system/kube-scheduler` and
 * `kube-system/kube-controller-manager`, holder `<node>_<uuid>`, leaseDurationSeconds 15,
 * renewTime refreshed every retry period (2 s). A component that is down (its fault) stops
 * renewing, so its lease goes stale as on a real cluster.
 */
import { randomUUID } from 'node:crypto';
import type { ControllerContext, Stop } from './kit/context.js';
import { microTimestamp } from './kit/objects.js';

export const leaseDurationSeconds = 15;
export const retryPeriodMs = 2000;

export function startLeaderLease(ctx: ControllerContext, component: string): Stop {
  const { store } = ctx;
  const node =
    store.list('nodes').find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}))?.metadata
      .name ?? 'controlplane';
  const holder = `${node}_${randomUUID()}`;
  const renew = () => {
    const now = microTimestamp(ctx.clock());
    const lease = store.get('leases', 'kube-system', component);
    if (!lease) {
      store.create('leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: component, namespace: 'kube-system' },
        spec: { holderIdentity: holder, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      });
      return;
    }
    const spec = lease.spec ?? {};
    const taken = spec.holderIdentity !== holder;
    lease.spec = {
      ...spec,
      holderIdentity: holder,
      leaseDurationSeconds,
      renewTime: now,
      ...(taken
        ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + (spec.holderIdentity ? 1 : 0) }
        : {}),
    };
    store.update('leases', lease);
  };
  renew();
  const timer = setInterval(renew, retryPeriodMs);
  timer.unref();
  return () => clearInterval(timer);
}
