import { describe, expect, it } from 'vitest';
import { addressAt, bigIntToIp, cidrContains, ipToBigInt, isIPv6, parseCidr, subnetAt, urlHost } from './ip.js';

describe('IP arithmetic for both families', () => {
  it('round-trips IPv6 in the canonical compressed form', () => {
    for (const ip of ['fd00:10:244:1::5', '::1', 'fd00::', '2001:db8::1:0:0:1', 'fe80::1:2:3:4']) {
      expect(bigIntToIp(ipToBigInt(ip), 'IPv6')).toBe(ip);
    }
    expect(bigIntToIp(ipToBigInt('FD00:0:0:0:0:0:0:a'), 'IPv6')).toBe('fd00::a');
    expect(bigIntToIp(ipToBigInt('10.200.1.7'), 'IPv4')).toBe('10.200.1.7');
  });

  it('does CIDR math in each family and never across them', () => {
    expect(cidrContains('fd00:10:244:1::/64', 'fd00:10:244:1::5')).toBe(true);
    expect(cidrContains('fd00:10:244:1::/64', 'fd00:10:244:2::5')).toBe(false);
    expect(cidrContains('10.0.0.0/8', 'fd00::1')).toBe(false);
    expect(subnetAt('fd00:10:244::/56', 64, 3)).toBe('fd00:10:244:3::/64');
    expect(subnetAt('192.168.0.0/16', 26, 5)).toBe('192.168.1.64/26');
    expect(addressAt('fd00:10:96::/112', 10)).toBe('fd00:10:96::a');
    expect(parseCidr('10.96.0.0/12').size).toBe(1n << 20n);
  });

  it('recognises IPv6 literals and brackets them for URLs', () => {
    expect(isIPv6('fd00::1')).toBe(true);
    expect(isIPv6('10.0.0.1')).toBe(false);
    expect(isIPv6('web')).toBe(false);
    expect(urlHost('fd00::1')).toBe('[fd00::1]');
    expect(urlHost('10.0.0.1')).toBe('10.0.0.1');
  });
});
