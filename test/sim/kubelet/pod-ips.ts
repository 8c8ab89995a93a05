/**
 * Pod IPs of one node, as the bridge plugin's host-local IPAM hands them out: from the
 * node's podCIDR, `.1` kept for the bridge, from `.2` on, continuing after the last address
 * handed out (host-local's last_reserved_ip), so a replacement pod gets a fresh address.
 */
import { intToIp, ipToInt, parseCidr } from '../store/index.js';

export class PodIpAllocator {
  private readonly taken = new Set<number>();
  private readonly base: number;
  private readonly size: number;
  private lastOffset = 1;

  constructor(readonly cidr: string) {
    ({ base: this.base, size: this.size } = parseCidr(cidr));
  }

  /** Marks an address already in use (pods found running when the kubelet starts). */
  reserve(ip: string): void {
    this.taken.add(ipToInt(ip));
  }

  allocate(): string {
    const usable = this.size - 3;
    for (let step = 1; step <= usable; step++) {
      const offset = 2 + ((this.lastOffset - 2 + step + usable) % usable);
      if (!this.taken.has(this.base + offset)) {
        this.taken.add(this.base + offset);
        this.lastOffset = offset;
        return intToIp(this.base + offset);
      }
    }
    throw new Error(`no IP addresses available in range set: ${this.firstUsable()}-${this.lastUsable()}`);
  }

  release(ip: string): void {
    this.taken.delete(ipToInt(ip));
  }

  firstUsable(): string {
    return intToIp(this.base + 1);
  }

  lastUsable(): string {
    return intToIp(this.base + this.size - 2);
  }
}
