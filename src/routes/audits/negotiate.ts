import type { ReportFormat } from '../../report/index.js';

const BY_MEDIA_TYPE: Record<string, ReportFormat> = {
  'application/json': 'json',
  'application/xml': 'junit',
  'text/xml': 'junit',
  'application/junit+xml': 'junit',
  'text/markdown': 'markdown',
  'text/plain': 'markdown',
};

/**
 * Picks the report format from an Accept header (quality values honoured). Undefined when
 * the header names only types we cannot produce.
 */
export function formatFromAccept(accept: string | undefined): ReportFormat | undefined {
  if (!accept || accept.trim() === '') return 'json';
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
    if (type === '*/*' || type === 'application/*') return 'json';
    if (type === 'text/*') return 'markdown';
    const format = BY_MEDIA_TYPE[type];
    if (format) return format;
  }
  return undefined;
}
