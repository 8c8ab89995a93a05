/**
 * Strategy 4 (what kube-bench checks): is kube-apiserver started with
 * --encryption-provider-config? Configuration evidence only: the file's providers are not visible.
 */
import type { Pod } from '../../../kube/objects.js';
import { type EvidenceStrategy, type StrategyResult, unavailable, unavailableAfter } from '../strategy.js';

const FLAG = '--encryption-provider-config';

/** The flag's value on one apiserver pod, `undefined` when absent. */
function encryptionConfigPath(pod: Pod): string | undefined {
  const containers = pod.spec?.containers ?? [];
  const argv = containers
    .filter((c) => c.name === 'kube-apiserver' || containers.length === 1)
    .flatMap((c) => [...((c.command as string[] | undefined) ?? []), ...((c.args as string[] | undefined) ?? [])]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith(`${FLAG}=`)) return arg.slice(FLAG.length + 1);
    if (arg === FLAG) return argv[i + 1] ?? '';
  }
  return undefined;
}

export const apiserverFlags: EvidenceStrategy = {
  name: 'apiserver-flags',
  async gather({ cluster, signal }): Promise<StrategyResult> {
    let pods: Pod[];
    try {
      ({ items: pods } = await cluster.list(
        'pods',
        { namespace: 'kube-system', labelSelector: 'component=kube-apiserver,tier=control-plane' },
        { signal, timeoutMs: 10_000 },
      ));
    } catch (error) {
      if (signal.aborted) throw error;
      return unavailableAfter('could not list pods in kube-system', error);
    }
    if (pods.length === 0) {
      return unavailable(
        'no kube-apiserver static pod (component=kube-apiserver) in kube-system: managed or systemd control plane',
        'absent',
      );
    }
    const perPod = pods.map((pod) => ({
      pod: pod.metadata?.name ?? '',
      encryptionProviderConfig: encryptionConfigPath(pod) ?? null,
    }));
    const missing = perPod.filter((p) => p.encryptionProviderConfig === null).map((p) => p.pod);
    return {
      kind: 'indirect',
      encrypted: missing.length === 0,
      observation:
        missing.length === 0
          ? `kube-apiserver runs with ${FLAG} (${perPod.map((p) => `${p.pod}: ${p.encryptionProviderConfig}`).join(', ')}); the providers inside the file are not visible`
          : `kube-apiserver runs without ${FLAG} on ${missing.join(', ')}`,
      details: { apiservers: perPod },
    };
  },
};
