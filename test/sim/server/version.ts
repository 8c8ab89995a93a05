/**
 * Which Kubernetes version the simulated API server claims to be, and what follows from it.
 * `/version` answers with the version.Info of that release (k8s.io/apimachinery/pkg/version);
 * authorization of streaming upgrades changes with the version (see `websocketNeedsCreate`).
 * v1.32.4's commit and build date are the real release's; for other versions they are derived
 * from the version string (stable, but not the real release's) and goVersion is the Go minor
 * that release line was built with.
 */
import { createHash } from 'node:crypto';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const defaultServerVersion = 'v1.32.4';

const released: Record<string, Pick<VersionInfo, 'gitCommit' | 'buildDate' | 'goVersion'>> = {
  'v1.32.4': {
    gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
    buildDate: '2025-04-22T16:02:27Z',
    goVersion: 'go1.23.6',
  },
};

/** The Go line each Kubernetes minor shipped with (approximate: only v1.32.4's is the recorded value). */
const goByMinor: Record<number, string> = {
  28: 'go1.20',
  29: 'go1.21',
  30: 'go1.22',
  31: 'go1.22',
  32: 'go1.23',
  33: 'go1.24',
  34: 'go1.24',
  35: 'go1.25',
  36: 'go1.25',
};

export class ServerVersionError extends Error {}

/** `v1.35.1`, `1.35.1` or `1.35` (patch 0) → `v1.35.1`; anything else is refused with a readable message. */
export function normaliseServerVersion(raw: string): string {
  const m = /^v?1\.(\d{1,2})(?:\.(\d{1,3}))?$/.exec(raw.trim());
  if (!m) throw new ServerVersionError(`server version "${raw}" is not a Kubernetes version like v1.32.4 or 1.35`);
  const minor = Number(m[1]);
  if (minor < 28) throw new ServerVersionError(`server version "${raw}": the simulation starts at v1.28`);
  return `v1.${minor}.${Number(m[2] ?? 0)}`;
}

export function versionInfo(gitVersion: string = defaultServerVersion): VersionInfo {
  const version = normaliseServerVersion(gitVersion);
  const minor = Number(version.split('.')[1]);
  const known = released[version];
  const derived = createHash('sha1').update(version).digest('hex');
  return {
    major: '1',
    minor: String(minor),
    gitVersion: version,
    gitCommit: known?.gitCommit ?? derived,
    gitTreeState: 'clean',
    buildDate: known?.buildDate ?? '2025-12-01T00:00:00Z',
    goVersion: known?.goVersion ?? `${goByMinor[minor] ?? 'go1.25'}.0`,
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/**
 * From v1.35 the AuthorizePodWebsocketUpgradeCreatePermission gate (beta, on by default) makes
 * the API server also require `create` on pods/exec, pods/attach and pods/portforward when the
 * request is a WebSocket upgrade (a GET, itself authorized as `get`); SPDY upgrades are POSTs and
 * were always `create`. Sources: kubernetes/website
 * content/en/docs/reference/command-line-tools-reference/feature-gates/AuthorizePodWebsocketUpgradeCreatePermission.md
 * (beta, default true, from 1.35) and kubernetes/kubernetes PR #134577.
 */
export function websocketNeedsCreate(info: Pick<VersionInfo, 'minor'>): boolean {
  return Number(info.minor) >= 35;
}

/**
 * The PortForwardWebsockets gate: the API server tunnels kubectl's SPDY port-forward through a
 * WebSocket (subprotocol `SPDY/3.1+portforward.k8s.io`). Alpha (off) in 1.30, beta (on) from
 * 1.31: kubernetes/website content/en/docs/reference/command-line-tools-reference/feature-gates/
 * PortForwardWebsockets.md. Older servers make kubectl fall back to plain SPDY.
 */
export function spdyTunnelling(info: Pick<VersionInfo, 'minor'>): boolean {
  return Number(info.minor) >= 31;
}

/**
 * The TranslateStreamCloseWebsocketRequests gate: exec/attach over WebSocket with
 * v5.channel.k8s.io (the close signal that ends one stream, e.g. stdin). Alpha (off) in 1.29,
 * beta (on) from 1.30: kubernetes/website content/en/docs/reference/command-line-tools-reference/
 * feature-gates/TranslateStreamCloseWebsocketRequests.md. Older servers speak v4 at most.
 */
export function remoteCommandV5(info: Pick<VersionInfo, 'minor'>): boolean {
  return Number(info.minor) >= 30;
}
