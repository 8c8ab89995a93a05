/**
 * A custom cluster domain: dns.service reads it from the client pod's /etc/resolv.conf search
 * list (the kubelet writes `<ns>.svc.<domain> svc.<domain> <domain>`), so a cluster on
 * `corp.example` passes without the request naming it; a domain the request gives wins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { domainFromResolvConf } from '../../../src/checks/smoke/shared/cluster-domain.js';
import { type SimCluster, startSimCluster } from '../../sim/index.js';
import { runAudit } from '../support/sim-audit.js';

describe('cluster domain', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('reads the domain from the search list the kubelet writes (last search line wins)', () => {
    const conf =
      'search x.example\nsearch kubeproof-ab.svc.corp.example svc.corp.example corp.example ec2.internal\nnameserver 10.96.0.10\noptions ndots:5\n';
    expect(domainFromResolvConf(conf, 'kubeproof-ab')).toEqual({
      domain: 'corp.example',
      line: 'search kubeproof-ab.svc.corp.example svc.corp.example corp.example ec2.internal',
    });
    expect(domainFromResolvConf('nameserver 10.96.0.10\n', 'kubeproof-ab')).toBeUndefined();
    expect(domainFromResolvConf('search other.svc.cluster.local\n', 'kubeproof-ab')).toBeUndefined();
  });

  it('passes a corp.example cluster with no domain in the request, and says where it came from', async () => {
    sim = await startSimCluster({ clusterDomain: 'corp.example' });
    const run = await runAudit(sim, { selection: ['dns.service'] });
    const dns = run.results.get('dns.service');
    expect(dns?.status, dns?.summary).toBe('passed');
    expect(dns?.summary).toMatch(/kubernetes\.default\.svc\.corp\.example/);
    expect(dns?.evidence.clusterDomain).toMatchObject({
      domain: 'corp.example',
      source: expect.stringMatching(/client pod's \/etc\/resolv\.conf/),
    });
  });

  it('the request wins: a wrong options.clusterDomain is a DNS failure naming where the domain came from', async () => {
    sim = await startSimCluster({ clusterDomain: 'corp.example' });
    const run = await runAudit(sim, { selection: ['dns.service'], options: { clusterDomain: 'cluster.local' } });
    const dns = run.results.get('dns.service');
    expect(dns?.status).toBe('failed');
    expect(dns?.summary).toMatch(/NXDOMAIN/);
    expect(dns?.hint).toMatch(/cluster\.local\) came from the request/);
  });
});
