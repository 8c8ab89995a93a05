import { type ReportFormat, reportFormats } from '../../report/index.js';

/** Media type → format, from the registry's `accepts` lists. */
const BY_MEDIA_TYPE = new Map<string, ReportFormat>(
  reportFormats().flatMap(([name, spec]) => spec.accepts.map((type) => [type, name] as const)),
);

/** `*\/*` → the first format; `text/*` → the first whose main media type (`accepts[0]`) is text/. */
function byWildcard(range: string): ReportFormat | undefined {
  const formats = reportFormats();
  if (range === '*/*') return formats[0]?.[0];
  const prefix = range.slice(0, -1);
  return formats.find(([, spec]) => spec.accepts[0].startsWith(prefix))?.[0];
}

/**
 * Picks the report format from an Accept header (quality values honoured). Undefined when
 * the header names only types we cannot produce.
 */
export function formatFromAccept(accept: string | undefined): ReportFormat | undefined {
  if (!accept || accept.trim() === '') return reportFormats()[0]?.[0];
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranges) {
    const format = type.endsWith('/*') ? byWildcard(type) : BY_MEDIA_TYPE.get(type);
    if (format) return format;
  }
  return undefined;
}
