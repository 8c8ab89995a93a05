import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIp,
  httpUrl,
  ipFamily,
  ipInCidr,
  parseCidr,
  parseIp,
  sameIp,
} from '../../../src/checks/smoke/shared/ip.js';

const v4 = fc.ipV4();
const v6 = fc.ipV6();

/** Node's own subnet matcher is the oracle for membership. */
function oracle(ip: string, base: string, bits: number, family: 'ipv4' | 'ipv6'): boolean {
  const list = new BlockList();
  list.addSubnet(base, bits, family);
  return list.check(ip, family);
}

describe('IP and CIDR math, both families', () => {
  it('parses what node:net accepts, and nothing node:net refuses', () => {
    fc.assert(
      fc.property(fc.oneof(v4, v6), (ip) => {
        expect(parseIp(ip)?.family).toBe(isIP(ip) === 4 ? 'IPv4' : 'IPv6');
      }),
    );
    for (const bad of [
      '',
      '1.2.3',
      '256.1.1.1',
      '1:2:3:4:5:6:7:8:9',
      ':::',
      '1::2::3',
      'fe80::1%eth0',
      'x::1',
      '::1.2.3',
    ]) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });

  it('IPv4 membership agrees with node:net for any address and prefix', () => {
    fc.assert(
      fc.property(v4, v4, fc.integer({ min: 0, max: 32 }), (ip, base, bits) => {
        expect(ipInCidr(ip, `${base}/${bits}`)).toBe(oracle(ip, base, bits, 'ipv4'));
      }),
    );
  });

  it('IPv6 membership agrees with node:net for any address and prefix', () => {
    fc.assert(
      fc.property(v6, v6, fc.integer({ min: 0, max: 128 }), (ip, base, bits) => {
        expect(ipInCidr(ip, `${base}/${bits}`)).toBe(oracle(ip, base, bits, 'ipv6'));
      }),
    );
  });

  it('an address inside a prefix built from it is always inside, whatever the spelling', () => {
    fc.assert(
      fc.property(v6, fc.integer({ min: 0, max: 128 }), (ip, bits) => {
        expect(ipInCidr(canonicalIp(ip), `${ip}/${bits}`)).toBe(true);
      }),
    );
  });

  it('never judges across families', () => {
    expect(ipInCidr('10.244.1.5', 'fd00:10:244:1::/64')).toBeUndefined();
    expect(ipInCidr('fd00:10:244:1::5', '10.244.1.0/24')).toBeUndefined();
    expect(ipInCidr('10.244.1.5', 'nonsense')).toBeUndefined();
    expect(parseCidr('fd00::/129')).toBeUndefined();
  });

  it('kind IPv6 pod CIDRs: a pod IP of node 1 is not in node 2', () => {
    expect(ipInCidr('fd00:10:244:1::7', 'fd00:10:244:1::/64')).toBe(true);
    expect(ipInCidr('fd00:10:244:1::7', 'fd00:10:244:2::/64')).toBe(false);
    expect(ipInCidr('fd00:10:244:1::7', 'fd00:10:244::/56')).toBe(true);
  });

  it('canonical form is RFC 5952, as the WHATWG URL serializer writes it', () => {
    fc.assert(
      fc.property(v6, (ip) => {
        expect(`[${canonicalIp(ip)}]`).toBe(new URL(`http://[${ip}]/`).hostname);
      }),
    );
    expect(sameIp('fd00:10:96:0:0:0:0:a', 'FD00:10:96::A')).toBe(true);
    expect(sameIp('10.96.0.10', '10.96.0.1')).toBe(false);
  });

  it('brackets IPv6 literals in URLs and leaves IPv4 and names alone', () => {
    expect(httpUrl('fd00:10:244:1::7', 8080, '/hostname')).toBe('http://[fd00:10:244:1::7]:8080/hostname');
    expect(httpUrl('fd00:10:96::5a', 80, '/hostname')).toBe('http://[fd00:10:96::5a]/hostname');
    expect(httpUrl('10.96.0.93', undefined, '/hostname')).toBe('http://10.96.0.93/hostname');
    expect(httpUrl('web', 80, '/hostname')).toBe('http://web/hostname');
    expect(ipFamily('web')).toBeUndefined();
  });
});
