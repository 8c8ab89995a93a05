import { commaList } from '../kernel/text.js';

/** A callback secret's name: what a request names (never the value). */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const MIN_SECRET_LENGTH = 16;

/**
 * KUBEPROOF_CALLBACK_SECRETS: `name:value,...`. Throws a message naming the entry by position
 * and name, never its value.
 * @example parseCallbackSecrets('ci:2f0c…,ops:9a1b…').get('ci')
 */
export function parseCallbackSecrets(raw: string | undefined): ReadonlyMap<string, string> {
  const secrets = new Map<string, string>();
  for (const [index, entry] of commaList(raw ?? '').entries()) {
    const at = entry.indexOf(':');
    const name = at > 0 ? entry.slice(0, at).trim() : '';
    const value = at > 0 ? entry.slice(at + 1).trim() : '';
    const where = `entry ${index + 1}${SECRET_NAME.test(name) ? ` ("${name}")` : ''}`;
    if (!SECRET_NAME.test(name))
      throw new Error(`${where}: expected name:value, the name 1-63 letters, digits, ".", "_" or "-"`);
    if (value.length < MIN_SECRET_LENGTH)
      throw new Error(`${where}: the value must be at least ${MIN_SECRET_LENGTH} characters`);
    if (secrets.has(name)) throw new Error(`${where}: the name is given twice`);
    secrets.set(name, value);
  }
  return secrets;
}
