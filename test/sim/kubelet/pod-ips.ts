/**
 * Pod IPs of one node, as the CNI's IPAM hands them out from the node's pod range(s): one
 * address per range (two on dual-stack, primary family first). host-local keeps the first
 * address for the bridge and hands out from `.2` on, continuing after the last address handed
 * out (its last_reserved_ip), so a replacement pod gets a fresh address. Which ranges a node
 * has is the profile's IPAM (node podCIDRs, Calico blocks, a VPC subnet slice, Cilium's pool).
 */
import { bigIntToIp, type Family, familyOf, ipToBigInt, parseCidr } from '../network/ip.js';

class RangeAllocator {
  private readonly taken = new Set<bigint>();
  private readonly base: bigint;
  private readonly usable: bigint;
  readonly family: Family;
  private lastOffset = 1n;

  constructor(readonly cidr: string) {
    const c = parseCidr(cidr);
    this.base = c.base;
    this.family = c.family;
    // IPv4 loses network, gateway and broadcast; IPv6 has no broadcast (host-local still skips ::0 and ::1).
    const reserved = this.family === 'IPv4' ? 3n : 2n;
    const size = c.size > 1n << 16n ? 1n << 16n : c.size;
    this.usable = size - reserved;
  }

  reserve(ip: string): void {
    this.taken.add(ipToBigInt(ip));
  }

  owns(ip: string): boolean {
    if (familyOf(ip) !== this.family) return false;
    const n = ipToBigInt(ip);
    return n >= this.base && n < this.base + this.usable + 3n;
  }

  allocate(): string {
    for (let step = 1n; step <= this.usable; step++) {
      const offset = 2n + ((this.lastOffset - 2n + step + this.usable) % this.usable);
      if (!this.taken.has(this.base + offset)) {
        this.taken.add(this.base + offset);
        this.lastOffset = offset;
        return bigIntToIp(this.base + offset, this.family);
      }
    }
    throw new Error(`no IP addresses available in range set: ${this.firstUsable()}-${this.lastUsable()}`);
  }

  release(ip: string): void {
    this.taken.delete(ipToBigInt(ip));
  }

  firstUsable(): string {
    return bigIntToIp(this.base + 1n, this.family);
  }

  lastUsable(): string {
    return bigIntToIp(this.base + this.usable + 1n, this.family);
  }
}

export class PodIpAllocator {
  private readonly ranges: RangeAllocator[];
  /** The other families' addresses of each pod, by its primary address. */
  private readonly secondaries = new Map<string, string[]>();

  /** `cidrs`: one range or one per family, primary family first. */
  constructor(cidrs: string | string[]) {
    this.ranges = [cidrs].flat().map((c) => new RangeAllocator(c));
  }

  get cidr(): string {
    return this.ranges[0]!.cidr;
  }

  /** Marks an address already in use (pods found running when the kubelet starts). */
  reserve(ip: string): void {
    for (const r of this.ranges) if (r.owns(ip)) r.reserve(ip);
  }

  /** Marks every address of a running pod (status.podIPs) as used. */
  reservePod(podIps: string[]): void {
    for (const ip of podIps) this.reserve(ip);
    if (podIps.length > 1) this.secondaries.set(podIps[0]!, podIps.slice(1));
  }

  /** Allocates one address per range; returns the primary (status.podIP). */
  allocate(): string {
    const [primary, ...others] = this.ranges.map((r) => r.allocate());
    if (others.length > 0) this.secondaries.set(primary!, others);
    return primary!;
  }

  /** status.podIPs for a pod with this primary address. */
  podIPs(primary: string): Array<{ ip: string }> {
    return [primary, ...(this.secondaries.get(primary) ?? [])].map((ip) => ({ ip }));
  }

  release(ip: string): void {
    for (const other of this.secondaries.get(ip) ?? [])
      for (const r of this.ranges) if (r.owns(other)) r.release(other);
    this.secondaries.delete(ip);
    for (const r of this.ranges) if (r.owns(ip)) r.release(ip);
  }

  firstUsable(): string {
    return this.ranges[0]!.firstUsable();
  }

  lastUsable(): string {
    return this.ranges[0]!.lastUsable();
  }
}
