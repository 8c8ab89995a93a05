import { randomBytes, randomUUID } from 'node:crypto';

/** The alphabet apimachinery's rand.String uses: no vowels, no look-alike characters. */
export const nameSuffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** A random suffix as `generateName` and pod-template names get (default 5 characters). */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += nameSuffixAlphabet[b % nameSuffixAlphabet.length];
  return out;
}

export function newUid(): string {
  return randomUUID();
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function nowTimestamp(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The validation message the API server gives for a bad object name, or undefined when valid. */
export function nameProblem(name: string, label: boolean): string | undefined {
  if (label) {
    if (name.length > 63) return 'must be no more than 63 characters';
    if (!dns1123Label.test(name))
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    return undefined;
  }
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!dns1123Subdomain.test(name))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return undefined;
}
