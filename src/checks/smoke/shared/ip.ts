/**
 * IP addresses and CIDRs of both families, as Kubernetes writes them (`status.podIPs`,
 * `spec.podCIDRs`, `spec.clusterIPs`): parsing, membership, canonical comparison, and the host
 * part of a URL. IPv6 is full 128-bit math (BigInt), `::` compression and a trailing dotted quad
 * included; zone ids (`%eth0`) never appear in these fields and are refused.
 */

export type IpFamily = 'IPv4' | 'IPv6';

export interface ParsedIp {
  family: IpFamily;
  value: bigint;
}

export interface ParsedCidr extends ParsedIp {
  bits: number;
}

const WIDTH: Record<IpFamily, number> = { IPv4: 32, IPv6: 128 };

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256n + BigInt(p);
  }
  return n;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => {
    if (!half) return [];
    const out = half.split(':');
    return out.some((g) => g === '') ? undefined : out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  // A trailing dotted quad (`::ffff:10.0.0.1`) stands for the last two groups.
  const words: bigint[] = [];
  const all = [...head, ...(halves.length === 2 ? ['::'] : []), ...tail];
  const last = all[all.length - 1];
  let embedded: bigint | undefined;
  if (last?.includes('.')) {
    embedded = parseIpv4(last);
    if (embedded === undefined) return undefined;
    all.pop();
  }
  const slots = 8 - (embedded === undefined ? 0 : 2);
  const explicit = all.filter((g) => g !== '::');
  if (explicit.length > slots || (halves.length === 1 && explicit.length !== slots)) return undefined;
  if (halves.length === 2 && explicit.length === slots) return undefined;
  for (const g of all) {
    if (g === '::') {
      for (let i = 0; i < slots - explicit.length; i++) words.push(0n);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    words.push(BigInt(`0x${g}`));
  }
  let n = 0n;
  for (const w of words) n = (n << 16n) | w;
  if (embedded !== undefined) n = (n << 32n) | embedded;
  return n;
}

/** An IPv4 or IPv6 address, or undefined when the text is neither. */
export function parseIp(text: string): ParsedIp | undefined {
  const t = text.trim();
  const v4 = parseIpv4(t);
  if (v4 !== undefined) return { family: 'IPv4', value: v4 };
  const v6 = t.includes(':') ? parseIpv6(t) : undefined;
  return v6 === undefined ? undefined : { family: 'IPv6', value: v6 };
}

/** `10.200.0.0/24`, `fd00:10:244:1::/64`; undefined when malformed. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const [base = '', bitsText = '', ...rest] = text.trim().split('/');
  if (rest.length > 0 || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const ip = parseIp(base);
  const bits = Number(bitsText);
  if (!ip || bits > WIDTH[ip.family]) return undefined;
  return { ...ip, bits };
}

export const ipFamily = (text: string): IpFamily | undefined => parseIp(text)?.family;

/**
 * Whether `ip` lies in `cidr`. Undefined when either is unparsable or they are of different
 * families: an IPv4 pod IP is not judged against an IPv6 podCIDR.
 */
export function ipInCidr(ip: string, cidr: string): boolean | undefined {
  const a = parseIp(ip);
  const c = parseCidr(cidr);
  if (!a || !c || a.family !== c.family) return undefined;
  const shift = BigInt(WIDTH[c.family] - c.bits);
  return a.value >> shift === c.value >> shift;
}

/** The canonical text of an address (RFC 5952 for IPv6), so `fd00:0::a` and `fd00::a` compare equal. */
export function canonicalIp(text: string): string {
  const ip = parseIp(text);
  if (!ip) return text.trim();
  if (ip.family === 'IPv4') {
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join('.');
  }
  const words = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(16 * (7 - i))) & 0xffffn));
  // The longest run (≥ 2) of zero words becomes `::`; the first one when runs tie.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.len < 2) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Whether two address texts name the same address. */
export const sameIp = (a: string, b: string): boolean => canonicalIp(a) === canonicalIp(b);

/**
 * The host as it goes into a URL: IPv6 literals in brackets (RFC 3986 §3.2.2). busybox wget
 * reads `http://::1:8080/` as the host name `::1:8080` and fails with `bad address` (recorded in
 * test/fixtures/busybox-1.35-ipv6/wget-ipv6-nobrackets.*).
 */
export function urlHost(host: string): string {
  return ipFamily(host) === 'IPv6' ? `[${host}]` : host;
}

/** `http://<host>[:port]<path>` with the host bracketed when it is an IPv6 literal. */
export function httpUrl(host: string, port: number | undefined, path: string): string {
  return `http://${urlHost(host)}${port === undefined || port === 80 ? '' : `:${port}`}${path}`;
}
