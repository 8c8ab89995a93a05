import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { COMPONENT_KEYS, type Guide, type GuideReference } from '../kernel/guide.js';

/**
 * Component → where in a guide it was built. Data, served by `GET /v1/checks` and embedded in
 * every report. The default guide is the "Kubernetes From Scratch" series whose smoke test kubeproof
 * automates (docs/guide.md) (articles as its closing table assigns them); Kubernetes The Hard Way's smoke test
 * and the learnk8s architecture lab are further references where they apply.
 */
/**
 * Where the references link. The series publishes no per-article address in the sources kubeproof
 * was built from (seed 000 names the series page), so an article links the series' index, which
 * lists every article by number. KTHW's smoke-test lab is docs/12-smoke-test.md on its default
 * branch, one heading per section (GitHub anchors: #data-encryption, #deployments,
 * #port-forwarding, #logs, #exec, #services). The learnk8s architecture lab is a course document
 * with no public page per chapter: its chapters link the publisher's site.
 */
const SERIES = 'https://kkloudtarus.net/en/blog/series/kubernetes-from-scratch';
const KTHW_SMOKE_TEST = 'https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/12-smoke-test.md';
const LEARNK8S = 'https://learnk8s.io';

/** KTHW smoke-test sections kubeproof refers to → the heading's anchor. */
const KTHW_SECTIONS = {
  'Data Encryption': 'data-encryption',
  Deployments: 'deployments',
  'Deployments (pod network)': 'deployments',
  'Port Forwarding': 'port-forwarding',
  Logs: 'logs',
  Exec: 'exec',
  'Service (NodePort)': 'services',
} as const;

const article = (n: number, title: string): GuideReference => ({ label: `article ${n}`, title, url: SERIES });
const kthw = (section: keyof typeof KTHW_SECTIONS): GuideReference => ({
  label: `KTHW smoke test: ${section}`,
  url: `${KTHW_SMOKE_TEST}#${KTHW_SECTIONS[section]}`,
});
const lab = (chapter: number, title: string): GuideReference => ({
  label: `learnk8s lab ch.${chapter}`,
  title,
  url: LEARNK8S,
});

const A8 = article(8, 'controller chain: controller-manager and scheduler');
const A9 = article(9, 'RBAC for api-server → kubelet');
const A10 = article(10, 'kubelet and containerd');
const A11 = article(11, 'kubelet, containerd and webhook authorization');
const A12 = article(12, 'kube-proxy');
const A14 = article(14, 'pod networking (CNI)');
const A15 = article(15, 'CoreDNS');

export const DEFAULT_GUIDE: Guide = {
  'api-server': [lab(5, 'Exploring the API server'), article(17, "a request's lifecycle through the components")],
  kubelet: [A10, A11, lab(2, 'Connecting worker Nodes'), lab(7, 'Making the nodes unavailable')],
  'controller-chain': [A8, A10, A11, A14, kthw('Deployments')],
  scheduler: [A8, kthw('Deployments'), lab(7, 'Scheduling workloads with no worker node')],
  'pod-network': [A10, A11, A14, kthw('Deployments')],
  'cni-routing': [A14, kthw('Deployments (pod network)'), lab(2, 'Installing a network plugin')],
  'endpoint-controller': [A8],
  coredns: [A15],
  'kube-proxy': [A12],
  'kube-proxy-nodeport': [A12, kthw('Service (NodePort)')],
  'apiserver-kubelet': [A9, A11, kthw('Logs'), kthw('Exec'), kthw('Port Forwarding')],
  'controller-manager': [A8, lab(7, 'Making the control plane unavailable')],
  'deployment-controller': [A8],
  'kubelet-runtime': [A10, A11, lab(6, 'Exploring the kubelet: Simulating failures')],
  'encryption-at-rest': [kthw('Data Encryption')],
};

const GuideReferenceSchema = z.object({
  label: z.string().min(1),
  title: z.string().min(1).optional(),
  url: z.string().url().optional(),
});

const RunbookSchema = z.object({
  components: z.partialRecord(z.enum(COMPONENT_KEYS), z.object({ references: z.array(GuideReferenceSchema).min(1) })),
});

/** An operator's runbook file that cannot be used; the message says which entry and why. */
export class RunbookError extends Error {
  override readonly name = 'RunbookError';
}

/**
 * An operator's runbook replacing the references of the components it names (the others keep
 * the default guide). JSON or YAML:
 * @example
 * components:
 *   kube-proxy:
 *     references: [{ label: "Runbook §4", url: "https://wiki.example/kube-proxy" }]
 */
export function parseRunbook(text: string, source = 'runbook'): Guide {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new RunbookError(`${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  const parsed = RunbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RunbookError(`${source}: ${issues}`);
  }
  const guide: Record<string, readonly GuideReference[]> = { ...DEFAULT_GUIDE };
  for (const [component, entry] of Object.entries(parsed.data.components)) {
    if (entry) guide[component] = entry.references;
  }
  return guide as Guide;
}

/** Reads and validates the runbook named in configuration; call at start-up so mistakes stop the process. */
export function loadRunbook(path: string): Guide {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RunbookError(`cannot read runbook ${path}: ${(err as Error).message}`);
  }
  return parseRunbook(text, path);
}
