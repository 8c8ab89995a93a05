import type { CheckResult } from '../../kernel/results.js';
import { redactJson, redactText } from '../../redaction/redact.js';

/** Masks secrets anywhere in a result (summary, hint, evidence) before it is stored. */
export function redactResult(result: CheckResult, secrets: readonly string[]): CheckResult {
  const text = (s: string) => redactText(s, secrets);
  return {
    ...result,
    summary: text(result.summary),
    hint: result.hint === undefined ? undefined : text(result.hint),
    warnings: result.warnings.map(text),
    evidence: redactJson(result.evidence ?? {}, secrets),
  };
}
