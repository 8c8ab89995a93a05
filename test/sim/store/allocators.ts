/**
 * Service ClusterIP and NodePort allocation, as the API server's allocators do it: random
 * free values from the service CIDR (IPv4 or IPv6) and the node-port range, explicit values reserved.
 */
import { randomInt } from 'node:crypto';
import { addressAt, bigIntToIp, cidrContains as familyCidrContains, parseCidr as parseAnyCidr } from '../network/ip.js';

/** IPv4 dotted quad ↔ number (kept for the IPv4-only callers). */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const base = ipToInt(ip!) - (ipToInt(ip!) % size);
  return { base, size };
}

/** Whether `ip` is inside `cidr` (either family; never across families). */
export function cidrContains(cidr: string, ip: string): boolean {
  return familyCidrContains(cidr, ip);
}

export class ValueAllocator<T> {
  private readonly taken = new Set<T>();
  constructor(private readonly pick: () => T) {}

  /** Reserves a chosen value; false when it is already taken. */
  reserve(value: T): boolean {
    if (this.taken.has(value)) return false;
    this.taken.add(value);
    return true;
  }

  next(): T {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const candidate = this.pick();
      if (this.reserve(candidate)) return candidate;
    }
    throw new Error('range is full');
  }

  release(value: T): void {
    this.taken.delete(value);
  }
}

/** ClusterIPs: the first usable address is the `kubernetes` Service's, the tenth kube-dns's. Either family. */
export function clusterIpAllocator(serviceCidr: string): ValueAllocator<string> {
  const c = parseAnyCidr(serviceCidr);
  // Dynamic picks avoid the low band (the first 16 addresses) that static assignments use; an
  // IPv6 range is drawn from its first 2^20 addresses, enough for any simulation.
  const size = c.size > 1n << 20n ? 1n << 20n : c.size;
  const low = size - 2n < 16n ? size - 2n : 16n;
  const span = Number(size - low - 1n);
  return new ValueAllocator(() => bigIntToIp(c.base + low + BigInt(randomInt(1, span)), c.family));
}

export function wellKnownClusterIp(serviceCidr: string, offset: number): string {
  return addressAt(serviceCidr, offset);
}

export const nodePortRange = { min: 30000, max: 32767 };

export function nodePortAllocator(): ValueAllocator<number> {
  return new ValueAllocator(() => randomInt(nodePortRange.min, nodePortRange.max + 1));
}
