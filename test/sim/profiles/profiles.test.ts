import { describe, expect, it } from 'vitest';
import { FAULT_NAMES } from '../faults.js';
import { startSimCluster } from '../index.js';
import { helpText, parseCliOptions, UsageError } from '../options.js';
import { faultRefusal, getProfile, PROFILE_NAMES, parseProfile } from './index.js';

describe('cluster profiles registry', () => {
  it('has the contract names, each with a one-line summary in --help', () => {
    expect(PROFILE_NAMES).toEqual(
      expect.arrayContaining([
        'kthw',
        'kubeadm-calico',
        'eks',
        'gke',
        'k3s',
        'cilium-kpr',
        'psa-restricted',
        'slow-pulls',
      ]),
    );
    const lines = helpText().split('\n');
    for (const name of PROFILE_NAMES) {
      expect(getProfile(name).name).toBe(name);
      expect(
        lines.filter((l) => l.trimStart().startsWith(`${name} `)),
        name,
      ).toHaveLength(1);
    }
  });

  it('refuses an unknown profile and a fault the profile has no component for, readably', () => {
    expect(() => parseProfile('openshift')).toThrow('unknown profile "openshift"; known profiles: kthw, ');
    expect(() => parseCliOptions(['--profile', 'openshift'])).toThrow(UsageError);
    expect(() => parseCliOptions(['--fault', 'kube-proxy-down', '--profile', 'cilium-kpr'])).toThrow(
      /--fault: fault "kube-proxy-down" does not apply to profile "cilium-kpr": cilium-kpr has no kube-proxy/,
    );
    expect(parseCliOptions(['--profile', 'eks', '--fault', 'coredns-down']).cluster).toMatchObject({
      profile: 'eks',
      faults: ['coredns-down'],
    });
    // Every refusal names a real fault and says why.
    for (const name of PROFILE_NAMES) {
      for (const fault of FAULT_NAMES) {
        const refusal = faultRefusal(name, fault);
        if (refusal)
          expect(refusal).toMatch(new RegExp(`^fault "${fault}" does not apply to profile "${name}": .{10,}`));
      }
    }
  });

  it('refuses the inapplicable fault at run time too, and keeps the cluster running', async () => {
    const sim = await startSimCluster({ profile: 'cilium-kpr', apiOnly: true });
    try {
      expect(() => sim.faults.enable('kube-proxy-down')).toThrow(/does not apply to profile "cilium-kpr"/);
      expect(sim.faults.list()).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
