/**
 * IP addresses as bytes, CIDR blocks and the address classes the outbound policy cares about.
 * Addresses reach here already normalised by the WHATWG URL parser (decimal `2130706433`, short
 * `127.1`, hex and octal forms all become dotted quads) or as `dns.lookup` answers; this module
 * parses only canonical dotted-quad IPv4 and RFC 4291 IPv6 text, and refuses anything else.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

function parseV4(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map(Number));
}

function parseV6(text: string): Uint8Array | undefined {
  if (!isIPv6(text)) return undefined;
  // An embedded dotted quad (`::ffff:127.0.0.1`) is the last two words: rewrite it as hex.
  const lastColon = text.lastIndexOf(':');
  const quad = parseV4(text.slice(lastColon + 1));
  const hex = quad
    ? `${text.slice(0, lastColon + 1)}${((quad[0]! << 8) | quad[1]!).toString(16)}:${((quad[2]! << 8) | quad[3]!).toString(16)}`
    : text;
  const [left = '', right] = hex.split('::');
  const words = (part: string) => (part === '' ? [] : part.split(':').map((w) => Number.parseInt(w, 16)));
  const l = words(left);
  const r = right === undefined ? [] : words(right);
  const missing = 8 - l.length - r.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return undefined;
  const all = [...l, ...new Array<number>(missing).fill(0), ...r];
  if (all.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
}

/** Parses canonical IPv4 or IPv6 text (brackets allowed); undefined for anything else (a host name). */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseV4(bare);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseV6(bare);
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return words
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/:{3,}/, '::');
}

export interface Cidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const prefix = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1))))
    return undefined;
  return { ...ip, prefix };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.family) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

const cidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad built-in CIDR ${text}`);
  return c;
};

/**
 * IPv6 forms that carry an IPv4 address the packet may end up at: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-compatible (`::a.b.c.d`, deprecated), NAT64 (`64:ff9b::/96`, RFC 6052) and 6to4
 * (`2002:AABB:CCDD::/48`, RFC 3056). Checked like the IPv4 address itself.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const b = ip.bytes;
  const last4 = (): IpAddress => ({ family: 4, bytes: b.slice(12, 16) });
  if (inCidr(ip, cidr('::ffff:0:0/96')) || inCidr(ip, cidr('64:ff9b::/96'))) return last4();
  if (inCidr(ip, cidr('::/96')) && !inCidr(ip, cidr('::/127'))) return last4();
  if (inCidr(ip, cidr('2002::/16'))) return { family: 4, bytes: b.slice(2, 6) };
  return undefined;
}

export type AddressClass =
  | 'metadata'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'loopback'
  | 'private'
  | 'public';

/**
 * Cloud instance-metadata endpoints: AWS/GCP/Azure/OpenStack/Oracle `169.254.169.254`, AWS
 * IPv6 `fd00:ec2::254`, ECS task metadata `169.254.170.2`, Alibaba `100.100.100.200`, Oracle's
 * legacy `192.0.0.192`. The first classes win: metadata before link-local before private.
 */
const CLASSES: ReadonlyArray<[AddressClass, Cidr[]]> = [
  ['metadata', ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192'].map(cidr)],
  ['link-local', ['169.254.0.0/16', 'fe80::/10'].map(cidr)],
  ['unspecified', ['0.0.0.0/8', '::/128'].map(cidr)],
  ['multicast', ['224.0.0.0/4', 'ff00::/8'].map(cidr)],
  ['broadcast', ['255.255.255.255/32'].map(cidr)],
  // Class E (240/4) is not routable; fec0::/10 site-local is deprecated.
  ['reserved', ['240.0.0.0/4', 'fec0::/10'].map(cidr)],
  ['loopback', ['127.0.0.0/8', '::1/128'].map(cidr)],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map(cidr)],
];

/** The class of one address (an embedded IPv4 is not looked at here, see classesOf). */
export function classOf(ip: IpAddress): AddressClass {
  for (const [name, blocks] of CLASSES) if (blocks.some((b) => inCidr(ip, b))) return name;
  return 'public';
}

/** The address's class and, for IPv6 forms carrying an IPv4 address, that address's class too. */
export function classesOf(ip: IpAddress): AddressClass[] {
  const inner = embeddedIpv4(ip);
  return inner ? [classOf(ip), classOf(inner)] : [classOf(ip)];
}
