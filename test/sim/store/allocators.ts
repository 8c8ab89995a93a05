/**
 * Service ClusterIP and NodePort allocation, as the API server's allocators do it: random
 * free values from the service CIDR and the node-port range, explicit values reserved.
 */
import { randomInt } from 'node:crypto';

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

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, size } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
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

/** ClusterIPs: the first usable address is the `kubernetes` Service's, the tenth kube-dns's. */
export function clusterIpAllocator(serviceCidr: string): ValueAllocator<string> {
  const { base, size } = parseCidr(serviceCidr);
  // Dynamic picks avoid the low band (the first 16 addresses) that static assignments use.
  const low = Math.min(16, size - 2);
  return new ValueAllocator(() => intToIp(base + low + randomInt(1, size - low - 1)));
}

export function wellKnownClusterIp(serviceCidr: string, offset: number): string {
  return intToIp(parseCidr(serviceCidr).base + offset);
}

export const nodePortRange = { min: 30000, max: 32767 };

export function nodePortAllocator(): ValueAllocator<number> {
  return new ValueAllocator(() => randomInt(nodePortRange.min, nodePortRange.max + 1));
}
