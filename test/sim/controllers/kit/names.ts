/** Generated names and ids in the shapes the real components produce. */
import { createHash, randomBytes } from 'node:crypto';
import { nameSuffixAlphabet } from '../../store/index.js';

/** apimachinery's rand.SafeEncodeString: each character mapped into the no-vowel alphabet. */
function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += nameSuffixAlphabet[ch.charCodeAt(0) % nameSuffixAlphabet.length];
  return out;
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with sorted keys, so equal templates hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The `pod-template-hash` label: like controller.ComputeHash, an FNV-32a hash of the pod
 * template written in decimal and safe-encoded — so it only ever uses the ten characters
 * `bcdf456789` that digits map to (`578474b6fc`).
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv32a(canonicalJson(template))));
}

/** A containerd-style 64-hex id (container ids, sandbox ids). */
export function hex64(): string {
  return randomBytes(32).toString('hex');
}

/** A stable sha256 digest for an image reference, so imageID is the same on every node. */
export function imageDigest(image: string): string {
  return createHash('sha256').update(image).digest('hex');
}
