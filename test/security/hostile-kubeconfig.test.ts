/**
 * Hostile kubeconfigs at intake: YAML tricks, prototype keys, control characters and Markdown
 * injection. Each is a 400 naming the problem (never a 5xx, never a quoted secret), or, when
 * accepted, its untrusted text reaches every report format inert.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hasControlChars } from '../../src/untrusted-text.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml, TEST_TOKEN } from '../service/kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

const submitYaml = (body: string) =>
  call(harness, 'POST', '/v1/audits', { body, headers: { 'content-type': 'application/yaml' } });

describe('YAML tricks are refused with 400', () => {
  it.each([
    [
      'a custom tag',
      kubeconfigYaml().replace(`token: ${TEST_TOKEN}`, `token: !!js/function "function(){return 1}"`),
      /custom tag/,
    ],
    [
      'a local tag',
      kubeconfigYaml().replace(`token: ${TEST_TOKEN}`, `token: !secret ${TEST_TOKEN}`),
      /custom tag|YAML feature/,
    ],
    ['a duplicate key', `${kubeconfigYaml()}\ncurrent-context: other\n`, /not valid YAML/],
    [
      'an alias bomb',
      `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      /not valid YAML|aliases/,
    ],
    ['broken YAML quoting the token', `users:\n- name: u\n  user:\n    token: "${TEST_TOKEN}\n  : [`, /not valid YAML/],
  ])('%s', async (_name, body, why) => {
    harness = createHarness();
    const res = await submitYaml(body);
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toMatch(why);
    expect(res.text).not.toContain(TEST_TOKEN);
  });
});

describe('prototype-style keys are refused readably', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a user field named %s', async (key) => {
    harness = createHarness();
    // A computed key: an own property named `__proto__`, as a YAML parser produces it.
    const body = kubeconfigYaml({ user: { [key]: 'x' } });
    expect(body).toContain(`${key}: x`);
    const res = await submitYaml(body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.field).toBe(`users[0].user.${key}`);
    expect(res.body.detail).toContain('this field is not supported');
    expect(res.body.detail).not.toContain('[object');
    expect(res.body.detail).not.toContain('function');
  });
});

describe('untrusted names reach the reports inert', () => {
  const hostile = 'prod\r\n# INJECTED HEADING\n| a | b |\u001b[31m<img src=x onerror=alert(1)>\u0000';
  it('Markdown: one line, no heading, no HTML, no control characters; JUnit: XML without control characters', async () => {
    harness = createHarness();
    const doc = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': hostile,
      clusters: [{ name: hostile, cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'u', user: { token: TEST_TOKEN } }],
      contexts: [{ name: hostile, context: { cluster: hostile, user: 'u' } }],
    };
    const res = await submitYaml(stringify(doc));
    expect(res.status, res.text).toBe(202);
    await harness.runner.whenIdle();
    const md = await call(harness, 'GET', `/v1/audits/${res.body.id}/report?format=markdown`);
    expect(md.status, md.text).toBe(200);
    expect(md.text).not.toMatch(/^# INJECTED/m);
    expect(md.text).not.toContain('<img');
    expect(hasControlChars(md.text.replace(/\n/g, ''))).toBe(false);
    const junit = await call(harness, 'GET', `/v1/audits/${res.body.id}/report?format=junit`);
    expect(junit.status, junit.text).toBe(200);
    expect(hasControlChars(junit.text.replace(/[\n\t]/g, ''))).toBe(false);
    expect(junit.text).not.toContain('<img');
  });
});

describe('redaction works on decoded values', () => {
  it('masks a secret holding quotes and backslashes, which JSON escapes', async () => {
    const { redactJson } = await import('../../src/redaction/redact.js');
    const secret = 'quote"Tok-12345\\end';
    const redacted = redactJson({ seen: `token was ${secret}!`, [`key ${secret}`]: [secret] }, [secret]);
    expect(JSON.stringify(redacted)).not.toContain('Tok-12345');
    expect(redacted).toEqual({ seen: 'token was [redacted]!', 'key [redacted]': ['[redacted]'] });
  });
});
