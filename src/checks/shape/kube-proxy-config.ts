import { parse } from 'yaml';
import type { Container } from '../../kube/objects.js';
import type { KubeProxyMode } from './types.js';

const MODES: readonly KubeProxyMode[] = ['iptables', 'ipvs', 'nftables', 'kernelspace'];

/**
 * kube-proxy's mode from its KubeProxyConfiguration text. The field is `mode` without omitempty
 * (staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go), so kubeadm writes `mode: ""`, which
 * means iptables on Linux. Undefined when the text is no configuration.
 */
export function modeFromConfig(text: string | undefined): KubeProxyMode | undefined {
  if (!text) return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || !('mode' in doc)) return undefined;
  const mode = String((doc as { mode?: unknown }).mode ?? '').toLowerCase();
  if (mode === '') return 'iptables';
  return (MODES as readonly string[]).includes(mode) ? (mode as KubeProxyMode) : undefined;
}

/** `--proxy-mode=ipvs` (or `--proxy-mode ipvs`) among a container's command and args. */
export function modeFromArgs(container: Container | undefined): KubeProxyMode | undefined {
  const argv: string[] = [...(container?.command ?? []), ...(container?.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = a.startsWith('--proxy-mode=')
      ? a.slice('--proxy-mode='.length)
      : a === '--proxy-mode'
        ? argv[i + 1]
        : undefined;
    if (value !== undefined) return (MODES as readonly string[]).includes(value) ? (value as KubeProxyMode) : undefined;
  }
  return undefined;
}

/** The value of `--flag=value` (or `--flag value`) in a container's command line. */
export function flagValue(container: Container | undefined, flag: string): string | undefined {
  const argv: string[] = [...(container?.command ?? []), ...(container?.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return argv[i + 1];
  }
  return undefined;
}
