/**
 * The permission review as a step of the engine, beside the run-namespace step: preflight.api
 * runs it first (every other check depends on it), and the step then decides for every other
 * check whether it may run — skipped when the API server was not usable, `error` (cause
 * `permission`) when a permission it requires is missing. The suite only asks the step.
 */
import { newFindings, PREFLIGHT_ID, type PreflightFindings, type PreflightInput } from '../../checks/preflight/api.js';
import type { CheckDefinition } from '../../checks/types.js';
import { blocked, type Decision } from './decision.js';

export interface PermissionStepInput {
  /** The checks planned in this run: their permissions are reviewed. */
  planned: () => readonly CheckDefinition[];
  /** The namespace the run will create. */
  runNamespace: string;
  /** Told once the review ended: the server's version when the API server answered. */
  identified: (serverVersion: string | undefined) => void;
  /** Told when the API server answered and accepted the credentials, before permissions are reviewed. */
  usable?: () => void;
}

/** What preflight.api is wired to, and what the suite asks before it runs any other check. */
export class PermissionStep implements PreflightInput {
  /** Until the review ends, nothing is usable. */
  private findings: PreflightFindings = newFindings();

  constructor(private readonly input: PermissionStepInput) {}

  planned = (): readonly CheckDefinition[] => this.input.planned();
  runNamespace = (): string => this.input.runNamespace;
  usable = (): void => this.input.usable?.();
  reviewed = (findings: PreflightFindings): void => {
    this.findings = findings;
    this.input.identified(findings.serverVersion);
  };

  /**
   * The verdict a check gets without running, or undefined when the review lets it run. The
   * review's own check always runs.
   */
  verdictFor(def: CheckDefinition): Decision | undefined {
    if (def.id === PREFLIGHT_ID) return undefined;
    if (!this.findings.usable) return blocked([PREFLIGHT_ID]);
    const missing = this.findings.missingByCheck.get(def.id);
    if (!missing) return undefined;
    return {
      status: 'error',
      outcome: {
        status: 'error',
        cause: 'permission',
        summary: `not run: missing permission: ${missing.join('; ')}`,
        evidence: { missingPermissions: missing },
        hint: 'Grant the audit identity the RBAC from GET /v1/rbac, then re-run.',
      },
    };
  }

  /**
   * Whether a check depending on `id` may run as far as the review goes: preflight.api lets its
   * dependents run when the API was usable, even when it reports missing permissions (those
   * block only the checks that need them, through verdictFor).
   */
  unblocks(id: string): boolean {
    return id === PREFLIGHT_ID && this.findings.usable;
  }
}
