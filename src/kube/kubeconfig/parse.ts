import { parse, YAMLError } from 'yaml';
import { KubeconfigError } from './errors.js';

/**
 * Parses kubeconfig text (YAML or JSON; JSON is YAML). Errors mention only line and column:
 * the parser's own message quotes the source line, which may hold a token.
 */
export function parseKubeconfigText(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new KubeconfigError('kubeconfig', 'The kubeconfig is empty.');
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    const at =
      err instanceof YAMLError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    throw new KubeconfigError('kubeconfig', `The kubeconfig is not valid YAML or JSON${at}.`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KubeconfigError('kubeconfig', 'The kubeconfig must be a mapping with clusters, users and contexts.');
  }
  return doc as Record<string, unknown>;
}
