/** Masking of secrets in text and JSON: every log line, stored result and event passes through here. */
const REDACTED = '[redacted]';
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
// Credentials as they travel in an Authorization header, should an error message echo one.
// `Basic` only after `Authorization:`, so prose such as "Basic checks" stays readable.
const AUTHORIZATION = /(Bearer\s+|Authorization:\s*Basic\s+)[A-Za-z0-9._~+/=-]+/gi;

/**
 * The values worth masking: strings only, and none shorter than 4 characters, which would mask
 * innocent text everywhere (a password "a" would redact every "a").
 */
export function maskable(values: readonly unknown[]): string[] {
  return values.filter((s): s is string => typeof s === 'string' && s.length >= 4);
}

/**
 * Masks secrets in text: the given values, PEM blocks and Authorization header credentials.
 * @example redactText('Authorization: Bearer abc.def', []) // 'Authorization: Bearer [redacted]'
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out.replace(PEM_BLOCK, REDACTED).replace(AUTHORIZATION, `$1${REDACTED}`);
}

/**
 * Masks secrets anywhere inside a JSON-serialisable value (evidence, log fields), keeping its
 * shape. Works on the decoded strings (keys too), not on JSON text: a secret holding `"` or `\\`
 * is escaped in JSON and would slip past a match on the serialised form.
 */
export function redactJson<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk(JSON.parse(JSON.stringify(v)));
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) {
      if (inner === undefined || typeof inner === 'function') continue;
      // defineProperty: a `__proto__` key stays a plain key instead of replacing the prototype.
      Object.defineProperty(out, redactText(key, secrets), {
        value: walk(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value) as T;
}
