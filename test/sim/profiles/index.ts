/**
 * The cluster profiles the simulation can be started as: one registry, from which the
 * `--profile` flag, `--help`, the profile symptom tests and the profile × fault matrix are
 * derived. Names are contracts (issue: cluster profiles): do not rename.
 */
import type { FaultName } from '../fault-catalog.js';
import { ciliumKpr } from './cilium-kpr.js';
import { dualStack } from './dual-stack.js';
import { eks } from './eks.js';
import { gke } from './gke.js';
import { ipv6 } from './ipv6.js';
import { k3s } from './k3s.js';
import { kthw } from './kthw.js';
import { kubeadmCalico } from './kubeadm-calico.js';
import { netpolDefaultDeny } from './netpol-default-deny.js';
import { psaRestricted } from './psa-restricted.js';
import { slowPulls } from './slow-pulls.js';
import type { ClusterProfile } from './types.js';

export const profileRegistry = {
  kthw,
  'kubeadm-calico': kubeadmCalico,
  eks,
  gke,
  k3s,
  'cilium-kpr': ciliumKpr,
  ipv6,
  'dual-stack': dualStack,
  'psa-restricted': psaRestricted,
  'netpol-default-deny': netpolDefaultDeny,
  'slow-pulls': slowPulls,
} as const satisfies Record<string, ClusterProfile>;

export type ProfileName = keyof typeof profileRegistry;

export const PROFILE_NAMES = Object.keys(profileRegistry) as ProfileName[];

export type { ClusterProfile, ClusterShape } from './types.js';

export class UnknownProfileError extends Error {}

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(profileRegistry, name);
}

export function getProfile(name: ProfileName): ClusterProfile {
  return profileRegistry[name];
}

/** Validates an untrusted profile name, with a message that lists the known ones. */
export function parseProfile(name: string): ProfileName {
  if (!isProfileName(name)) {
    throw new UnknownProfileError(`unknown profile "${name}"; known profiles: ${PROFILE_NAMES.join(', ')}`);
  }
  return name;
}

/** Why a fault cannot be switched on for this profile, or undefined when it applies. */
export function faultRefusal(profile: ProfileName, fault: FaultName): string | undefined {
  const reason = getProfile(profile).refusedFaults?.[fault];
  return reason ? `fault "${fault}" does not apply to profile "${profile}": ${reason}` : undefined;
}
