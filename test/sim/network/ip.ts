/**
 * IP address and CIDR arithmetic for both families (BigInt), for the virtual pod network's
 * IPAM and the profiles' address plans. IPv6 text is written in the RFC 5952 canonical form
 * (lower case, longest zero run compressed), as Go's net.IP.String() prints it.
 */

export type Family = 'IPv4' | 'IPv6';

export function familyOf(ip: string): Family {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

export function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

export function ipToBigInt(ip: string): bigint {
  if (familyOf(ip) === 'IPv4') return ip.split('.').reduce((acc, octet) => acc * 256n + BigInt(Number(octet)), 0n);
  const [head = '', tail] = ip.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, g) => acc * 65536n + BigInt(Number.parseInt(g, 16)), 0n);
}

export function bigIntToIp(n: bigint, family: Family): string {
  if (family === 'IPv4') return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes '::' (the first one on a tie).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}

export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
  size: bigint;
}

export function parseCidr(cidr: string): Cidr {
  const [ip = '', bits = ''] = cidr.split('/');
  const family = familyOf(ip);
  const width = family === 'IPv4' ? 32 : 128;
  const prefix = Number(bits);
  const size = 1n << BigInt(width - prefix);
  const n = ipToBigInt(ip);
  return { family, base: n - (n % size), prefix, size };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  if (familyOf(ip) !== c.family) return false;
  const n = ipToBigInt(ip);
  return n >= c.base && n < c.base + c.size;
}

/** The address `offset` places into a CIDR. */
export function addressAt(cidr: string, offset: bigint | number): string {
  const c = parseCidr(cidr);
  return bigIntToIp(c.base + BigInt(offset), c.family);
}

/** The `index`-th subnet of `prefix` bits inside `cidr` (e.g. the 3rd /24 of 10.200.0.0/16). */
export function subnetAt(cidr: string, prefix: number, index: number): string {
  const c = parseCidr(cidr);
  const width = c.family === 'IPv4' ? 32 : 128;
  const step = 1n << BigInt(width - prefix);
  return `${bigIntToIp(c.base + step * BigInt(index), c.family)}/${prefix}`;
}

/** An address as it goes into a URL's host part: IPv6 literals bracketed (RFC 3986). */
export function urlHost(ip: string): string {
  return familyOf(ip) === 'IPv6' ? `[${ip}]` : ip;
}
