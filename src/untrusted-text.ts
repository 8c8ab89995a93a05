/**
 * Helpers for text that came from outside (an API server's messages, kubeconfig names, labels):
 * control characters removed, length bounded, before it reaches a report, an event or a log.
 */

/** C0 controls, DEL and C1 controls: what turns a log line or a Markdown row into something else. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/** Whether the text holds a control character (tab and newline included). */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** The text with every control character replaced by a space (so words stay apart), ANSI escapes included. */
export function stripControlChars(text: string): string {
  let out = '';
  for (const ch of text) out += isControl(ch.charCodeAt(0)) ? ' ' : ch;
  return out;
}

/**
 * At most `maxBytes` of UTF-8, cut on a character boundary, with `…` when cut.
 * @example truncateBytes('abcdef', 4) // 'abc…'
 */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  const budget = maxBytes - 3; // the ellipsis is 3 bytes
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return `${out}…`;
}
