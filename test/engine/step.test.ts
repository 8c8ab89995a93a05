import { describe, expect, it } from 'vitest';
import type { CheckDefinition, CheckOutcome } from '../../src/checks/types.js';
import { errorOutcome, runStep } from '../../src/engine/suite/step.js';
import { CHECK_CAUSES } from '../../src/kernel/vocabulary.js';
import { ClusterError, type ClusterErrorKind } from '../../src/kube/cluster-access.js';

const causeOf = (outcome: CheckOutcome) => (outcome.status === 'error' ? outcome.cause : undefined);

function check(run: CheckDefinition['run'], deadlineMs = 60_000): CheckDefinition {
  return {
    id: 'test.check',
    title: 'test',
    group: 'smoke',
    component: 'kubelet',
    prerequisites: [],
    disruptive: false,
    needsWorkload: false,
    rbac: [],
    deadlineMs,
    run,
  };
}

const ctx = {} as Parameters<typeof runStep>[1];

describe('the cause of an error verdict', () => {
  const expected: Array<[ClusterErrorKind, string]> = [
    ['forbidden', 'permission'],
    ['unauthorized', 'credentials'],
    ['policy', 'policy'],
    ['unreachable', 'unreachable'],
    ['timeout', 'timeout'],
    ['aborted', 'cancelled'],
    ['server', 'unexpected'],
    ['invalid', 'unexpected'],
  ];
  it.each(expected)('a ClusterError of kind %s is cause %s', (kind, cause) => {
    const outcome = errorOutcome(new ClusterError(kind, 'x'));
    expect(outcome.status).toBe('error');
    expect(causeOf(outcome)).toBe(cause);
    expect(CHECK_CAUSES).toContain(cause);
  });

  it('anything else escaping a check is unexpected', () => {
    expect(causeOf(errorOutcome(new Error('boom')))).toBe('unexpected');
  });

  it("the check's own deadline is a timeout", async () => {
    const outcome = await runStep(
      check((c) => new Promise((_, reject) => c.signal.addEventListener('abort', () => reject(c.signal.reason))), 1),
      ctx,
      new AbortController().signal,
    );
    expect(causeOf(outcome)).toBe('timeout');
  });

  it("the run's deadline is a timeout, a cancel is cancelled", async () => {
    for (const [reason, cause] of [
      ['deadline', 'timeout'],
      ['cancel', 'cancelled'],
    ] as const) {
      const run = new AbortController();
      run.abort(reason);
      const outcome = await runStep(
        check(async () => ({ status: 'passed', summary: '', evidence: {} })),
        ctx,
        run.signal,
      );
      expect(causeOf(outcome)).toBe(cause);
    }
  });
});
