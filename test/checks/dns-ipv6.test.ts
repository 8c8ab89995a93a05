/**
 * DNS on IPv6 clusters (issue 10 item 4): the sim's cluster DNS answers AAAA with the IPv6
 * ClusterIPs (test/sim/network/cluster-dns.ts), busybox nslookup prints them, and dns.service
 * accepts an AAAA answer as the Service's address — on an IPv6-only cluster the only answer.
 */

import { isIP } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, runAudit } from './support/sim-audit.js';

interface Lookup {
  name: string;
  addresses: string[];
  missingFamilies?: string[];
  ok: boolean;
}

describe('dns.service on IPv6 profiles', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('ipv6: every name resolves by AAAA to an IPv6 ClusterIP, and the check passes', async () => {
    sim = await startSimCluster({ profile: 'ipv6' });
    const run = await runAudit(sim, { selection: ['dns.service'] });
    const dns = run.results.get('dns.service');
    expect(dns?.status, explain(run)).toBe('passed');
    const lookups = dns?.evidence?.lookups as Lookup[];
    expect(lookups.length).toBeGreaterThan(0);
    for (const l of lookups) {
      expect(l.ok, JSON.stringify(l)).toBe(true);
      expect(l.addresses.length, JSON.stringify(l)).toBeGreaterThan(0);
      expect(
        l.addresses.every((a) => isIP(a) === 6),
        JSON.stringify(l),
      ).toBe(true);
    }
  });

  it('dual-stack: names of dual-family Services resolve to both families (A and AAAA)', async () => {
    sim = await startSimCluster({ profile: 'dual-stack' });
    const run = await runAudit(sim, { selection: ['dns.service'] });
    const dns = run.results.get('dns.service');
    expect(dns?.status, explain(run)).toBe('passed');
    const lookups = dns?.evidence?.lookups as Lookup[];
    expect(
      lookups.some((l) => l.addresses.some((a) => isIP(a) === 6)),
      JSON.stringify(lookups),
    ).toBe(true);
    for (const l of lookups) expect(l.missingFamilies, JSON.stringify(l)).toBeUndefined();
  });
});
