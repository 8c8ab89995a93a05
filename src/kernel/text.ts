/** Small text helpers every layer uses the same way. */

/** `"a, b,,c "` → `['a', 'b', 'c']`: comma-separated lists from flags, query strings and environment. */
export function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** What an exception says, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
