import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PREFER_WAIT_SECONDS, preferredWaitSeconds } from '../../src/http/prefer.js';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

describe('Prefer: wait on POST /v1/audits (RFC 7240)', () => {
  it('answers 200 with the finished audit when it ends within the wait', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml() },
      headers: { prefer: 'respond-async, wait=30' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=30');
    expect(res.headers.get('location')).toBe(`/v1/audits/${res.body.id}`);
    expect(res.body.status).toBe('passed');
    expect(res.body.checks.length).toBeGreaterThan(0);
    expect(res.body.finishedAt).not.toBeNull();
  });

  it('answers the usual 202 when the audit is still running at the end of the wait', async () => {
    const executor = new ScriptedExecutor(
      [
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'passed' },
      ],
      { holdAfter: 1 },
    );
    harness = createHarness({ executor });
    const res = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml() },
      headers: { prefer: 'wait=1' },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('wait=1');
    expect(res.body.status).toBe('queued');
    harness.runner.cancel(res.body.id);
  });

  it('answers 202 without waiting when no wait is preferred', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBeNull();
  });

  it('parses the header as RFC 7240 says: tokens case-insensitive, quoted values, unknown ones ignored', () => {
    expect(preferredWaitSeconds('Wait=5')).toBe(5);
    expect(preferredWaitSeconds('respond-async, wait="7"; foo=bar')).toBe(7);
    expect(preferredWaitSeconds('handling=strict')).toBeUndefined();
    expect(preferredWaitSeconds('wait=soon')).toBeUndefined();
    expect(preferredWaitSeconds('wait=-1')).toBeUndefined();
    expect(preferredWaitSeconds(undefined)).toBeUndefined();
    expect(preferredWaitSeconds('wait=100000')).toBe(MAX_PREFER_WAIT_SECONDS);
  });
});
