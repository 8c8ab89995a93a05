import { componentTitle } from '../kernel/guide.js';
import type { AuditRun } from './schema.js';

type Result = AuditRun['checks'][number];

export interface RootCause {
  id: string;
  title: string;
  component: string;
  status: 'failed' | 'error';
  /** Why kubeproof could not tell (for `error`); null for `failed`. */
  cause: Result['cause'] | null;
  summary: string;
  hint: string | null;
  warnings: string[];
  references: Result['references'];
  /** Checks skipped because of this one. */
  blocks: string[];
}

export interface ObservationRow {
  checkId: string;
  status: Result['status'];
  observation: string;
  component: string;
  /** The references on one line (`article 12 (kube-proxy)`). */
  references: string;
  /** The same references with their URLs. */
  guide: Result['references'];
  /** The check's cause (`error`) or skip reason (`skipped`), when it has one. */
  why: string | null;
  warnings: string[];
}

/** The report every renderer draws from. */
export interface AuditReport {
  audit: Omit<AuditRun, 'checks'>;
  /** Failed and undecided checks that are not themselves blocked, failures first. */
  rootCauses: RootCause[];
  /** Observation → component → references, in the order of the run's checks (catalog order). */
  table: ObservationRow[];
  checks: AuditRun['checks'];
}

/** A check's guide references on one line: `article 12 (kube-proxy); ...`. */
export function referencesText(references: Result['references']): string {
  return references.map((r) => (r.title ? `${r.label} (${r.title})` : r.label)).join('; ');
}

/**
 * Builds the report: root causes first (a skipped check points at its blocker, so only the
 * blocker is a root cause), then the observation table.
 */
export function buildReport(run: AuditRun): AuditReport {
  const { checks, ...audit } = run;
  const rootCauses: RootCause[] = checks
    .filter((c): c is Result & { status: 'failed' | 'error' } => c.status === 'failed' || c.status === 'error')
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'failed' ? -1 : 1))
    .map((c) => ({
      id: c.id,
      title: c.title,
      component: componentTitle(c.component),
      status: c.status,
      cause: c.status === 'error' ? (c.cause ?? 'unexpected') : null,
      summary: c.summary,
      hint: c.hint ?? null,
      warnings: c.warnings,
      references: c.references,
      blocks: checks.filter((other) => other.blockedBy?.includes(c.id)).map((other) => other.id),
    }));
  const table = checks.map((c) => ({
    checkId: c.id,
    status: c.status,
    observation:
      c.status === 'skipped' && c.blockedBy ? `${c.title} (skipped: blocked by ${c.blockedBy.join(', ')})` : c.summary,
    component: componentTitle(c.component),
    references: referencesText(c.references),
    guide: c.references,
    why: (c.status === 'error' ? c.cause : c.status === 'skipped' ? c.reason : undefined) ?? null,
    warnings: c.warnings,
  }));
  return { audit, rootCauses, table, checks };
}
