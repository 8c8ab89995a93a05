/**
 * What the kubelet and containerd prepare for a container before its process starts: the
 * argv (command/args over the image's ENTRYPOINT/CMD), the environment (image PATH, HOSTNAME,
 * Service links, the spec's env, HOME), and the files it manages (/etc/hosts, resolv.conf).
 */

import type { EmulatedImage } from '../containers/types.js';
import type { ClusterView, KubeObj } from '../contracts.js';

const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_DNS_SERVICE_IP = '10.96.0.10';

// biome-ignore lint/suspicious/noExplicitAny: container specs are open-ended JSON, as on the wire
export type ContainerSpec = { name: string; image: string; [field: string]: any };

export function containerSpec(pod: KubeObj, name: string): ContainerSpec | undefined {
  const all: ContainerSpec[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return all.find((c) => c.name === name);
}

/** Kubernetes' rule: command replaces ENTRYPOINT (and drops CMD), args replace CMD. */
export function resolveArgv(spec: ContainerSpec, image: EmulatedImage): string[] {
  const command: string[] | undefined = spec.command;
  const args: string[] | undefined = spec.args;
  if (command?.length) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args ?? image.cmd)];
}

export function podHostname(pod: KubeObj): string {
  return pod.spec?.hostname ?? pod.metadata.name;
}

function fieldRef(pod: KubeObj, path: string): string {
  const table: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
  };
  return table[path] ?? '';
}

/** The docker-links style variables the kubelet adds for each Service of the namespace. */
function serviceLinks(view: ClusterView, namespace: string): Array<[string, string]> {
  const vars: Array<[string, string]> = [];
  const services = [
    ...view.store.list('services', namespace),
    ...(namespace === 'default'
      ? []
      : view.store.list('services', 'default').filter((s) => s.metadata.name === 'kubernetes')),
  ];
  for (const svc of services) {
    const ip: string | undefined = svc.spec?.clusterIP;
    const ports: Array<{ port: number; protocol?: string }> = svc.spec?.ports ?? [];
    if (!ip || ip === 'None' || ports.length === 0) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    vars.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0]!.port)]);
    vars.push([`${prefix}_PORT`, `${(ports[0]!.protocol ?? 'TCP').toLowerCase()}://${ip}:${ports[0]!.port}`]);
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const base = `${prefix}_PORT_${p.port}_${proto}`;
      vars.push([base, `${proto.toLowerCase()}://${ip}:${p.port}`], [`${base}_PROTO`, proto.toLowerCase()]);
      vars.push([`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
    }
  }
  return vars;
}

export function containerEnv(view: ClusterView, pod: KubeObj, spec: ContainerSpec): Array<[string, string]> {
  const env: Array<[string, string]> = [
    ['PATH', IMAGE_PATH],
    ['HOSTNAME', podHostname(pod)],
  ];
  const own = new Map<string, string>();
  for (const e of (spec.env ?? []) as Array<{
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string } };
  }>) {
    own.set(e.name, e.value ?? (e.valueFrom?.fieldRef ? fieldRef(pod, e.valueFrom.fieldRef.fieldPath) : ''));
  }
  if (pod.spec?.enableServiceLinks !== false) {
    for (const [k, v] of serviceLinks(view, pod.metadata.namespace ?? 'default')) if (!own.has(k)) env.push([k, v]);
  }
  env.push(...own.entries());
  if (!own.has('HOME')) env.push(['HOME', '/root']);
  return env;
}

export function dnsServiceIp(view: ClusterView): string {
  return view.store.get('services', 'kube-system', 'kube-dns')?.spec?.clusterIP ?? DEFAULT_DNS_SERVICE_IP;
}

export function containerFiles(view: ClusterView, pod: KubeObj): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const domain = view.clusterDomain;
  const hostname = podHostname(pod);
  const ip: string = pod.status?.podIP ?? '';
  const hostNetwork = pod.spec?.hostNetwork === true;
  return new Map([
    ['/etc/hostname', `${hostname}\n`],
    [
      '/etc/hosts',
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        (ip ? `${ip}\t${hostname}\n` : ''),
    ],
    [
      '/etc/resolv.conf',
      hostNetwork && pod.spec?.dnsPolicy !== 'ClusterFirstWithHostNet'
        ? `nameserver ${dnsServiceIp(view)}\n`
        : `search ${namespace}.svc.${domain} svc.${domain} ${domain}\nnameserver ${dnsServiceIp(view)}\noptions ndots:5\n`,
    ],
    ['/var/run/secrets/kubernetes.io/serviceaccount/namespace', namespace],
  ]);
}
