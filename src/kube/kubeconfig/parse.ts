import { parseDocument, YAMLError } from 'yaml';
import { KubeconfigError } from './errors.js';

const at = (err: YAMLError) => (err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '');

/**
 * Parses kubeconfig text (YAML or JSON; JSON is YAML). Errors mention only line and column:
 * the parser's own message quotes the source line, which may hold a token. A warning is a
 * refusal too: a custom tag (`!!js/function`, `!foo`) would otherwise be dropped silently and its
 * text used as if it were a plain value.
 */
export function parseKubeconfigText(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new KubeconfigError('kubeconfig', 'The kubeconfig is empty.');
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) throw new KubeconfigError('kubeconfig', `The kubeconfig is not valid YAML or JSON${at(error)}.`);
  const [warning] = doc.warnings;
  if (warning) {
    throw new KubeconfigError(
      'kubeconfig',
      `The kubeconfig uses a YAML feature kubeproof does not accept${at(warning)} (${warning.code === 'TAG_RESOLVE_FAILED' ? 'a custom tag' : warning.code}): send plain YAML, as \`kubectl config view --raw --flatten\` writes it.`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    const where = err instanceof YAMLError ? at(err) : '';
    throw new KubeconfigError('kubeconfig', `The kubeconfig is not valid YAML or JSON${where} (too many aliases?).`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeconfigError('kubeconfig', 'The kubeconfig must be a mapping with clusters, users and contexts.');
  }
  return value as Record<string, unknown>;
}
