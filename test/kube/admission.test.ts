import { describe, expect, it } from 'vitest';
import { ADMISSION_KINDS, admissionDenial, QUOTE_LIMIT, quotable } from '../../src/kube/cluster/admission.js';
import { errorFromResponse } from '../../src/kube/cluster/errors.js';
import { DENIALS, RBAC_DENIAL } from '../support/admission-denials.js';

describe('admission denials, classified by what the API server said', () => {
  it.each(ADMISSION_KINDS)('%s: kind policy, the policy named, its message kept', (kind) => {
    const answer = DENIALS[kind]('client');
    const err = errorFromResponse(answer.httpStatus, answer.body);
    expect(err.kind).toBe('policy');
    expect(err.admission?.kind).toBe(kind);
    expect(err.admission?.message).toBe(quotable(JSON.parse(answer.body).message));
  });

  it('names each policy', () => {
    const policy = (kind: keyof typeof DENIALS) => {
      const a = DENIALS[kind]('client');
      return errorFromResponse(a.httpStatus, a.body).admission?.policy;
    };
    expect(policy('pod-security')).toBe('PodSecurity "restricted:latest"');
    expect(policy('webhook')).toBe('admission webhook "validate.kyverno.svc-fail"');
    expect(policy('validating-admission-policy')).toBe(
      'ValidatingAdmissionPolicy "require-cost-center" (binding "require-cost-center-binding")',
    );
    expect(policy('resource-quota')).toBe('ResourceQuota "compute-small"');
    expect(policy('limit-range')).toBe('LimitRange');
  });

  it('a webhook denial is policy whatever status code the webhook chose', () => {
    for (const code of [400, 403, 409, 422, 500]) {
      const err = errorFromResponse(
        code,
        JSON.stringify({
          kind: 'Status',
          message: 'admission webhook "deny.example.com" denied the request: no',
          code,
        }),
      );
      expect(err.kind, String(code)).toBe('policy');
    }
  });

  it('RBAC refusing kubeproof stays a permission problem (same 403 Forbidden, different message)', () => {
    const err = errorFromResponse(RBAC_DENIAL.httpStatus, RBAC_DENIAL.body);
    expect(err.kind).toBe('forbidden');
    expect(err.admission).toBeUndefined();
  });

  it('a 422 schema error stays invalid, a 401 stays unauthorized', () => {
    expect(
      errorFromResponse(
        422,
        JSON.stringify({ kind: 'Status', message: 'Deployment.apps "web" is invalid: spec.replicas' }),
      ).kind,
    ).toBe('invalid');
    expect(
      errorFromResponse(
        401,
        JSON.stringify({ kind: 'Status', message: 'admission webhook "x" denied the request: Unauthorized' }),
      ).kind,
    ).toBe('unauthorized');
  });

  it('quotes a bounded message without control characters', () => {
    const denial = admissionDenial(
      `admission webhook "w" denied the request: \u001b[31mred\u0007\r\n${'x'.repeat(2000)}`,
    );
    expect(denial?.message.length).toBe(QUOTE_LIMIT);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting they are gone
    expect(denial?.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(denial?.message).toContain('[31mred');
  });
});
