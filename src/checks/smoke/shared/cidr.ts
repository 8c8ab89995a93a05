/** Whether an IPv4 address lies in an IPv4 CIDR; undefined when either is not IPv4 (not judged). */
export function ipv4InCidr(ip: string, cidr: string): boolean | undefined {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const a = toInt(ip);
  const b = toInt(base ?? '');
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function toInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}
