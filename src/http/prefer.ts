/**
 * The `Prefer` request header (RFC 7240): the preferences kubeproof honours, here `wait`.
 * Preferences it does not know, and malformed values, are ignored, as the RFC asks.
 */

/** The longest `Prefer: wait` honoured; a longer one is cut to it (and `Preference-Applied` says so). */
export const MAX_PREFER_WAIT_SECONDS = 120;

/**
 * The `wait=<seconds>` preference, capped at MAX_PREFER_WAIT_SECONDS; undefined when absent or malformed.
 * @example
 * preferredWaitSeconds('respond-async, wait=30') // 30
 * preferredWaitSeconds('wait="5"')              // 5
 * preferredWaitSeconds('wait=soon')             // undefined
 */
export function preferredWaitSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const preference of header.split(',')) {
    // A preference is `token [= value] *( ";" parameter )`: only the token and its value matter here.
    const [head = ''] = preference.split(';');
    const eq = head.indexOf('=');
    if (eq < 0 || head.slice(0, eq).trim().toLowerCase() !== 'wait') continue;
    const value = head
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!/^\d{1,9}$/.test(value)) return undefined;
    return Math.min(Number(value), MAX_PREFER_WAIT_SECONDS);
  }
  return undefined;
}
