import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/kube/kubeconfig/index.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/sanitize.js';
import { createLogger, redactingLogger } from '../../src/logger.js';
import { redactText } from '../../src/redaction/redact.js';
import { certKubeconfigYaml, kubeconfigYaml, TEST_KEY_BODY, TEST_TOKEN } from '../service/kubeconfigs.js';

describe('redaction of credentials in text', () => {
  it('masks the token wherever it appears, and any bearer header', () => {
    const { kubeconfig } = sanitizeKubeconfig(kubeconfigYaml());
    const text = redactText(
      `GET /api failed: token=${TEST_TOKEN}; Authorization: Bearer other.jwt.value`,
      secretsOf(kubeconfig),
    );
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain('other.jwt.value');
    expect(text).toBe('GET /api failed: token=[redacted]; Authorization: Bearer [redacted]');
  });

  it('masks the client key in base64 and in PEM form', () => {
    const { kubeconfig } = sanitizeKubeconfig(certKubeconfigYaml());
    const pem = Buffer.from(kubeconfig.clientKeyData ?? '', 'base64').toString('utf8');
    const text = redactText(`key data ${kubeconfig.clientKeyData} and ${pem}`, secretsOf(kubeconfig));
    expect(text).not.toContain(kubeconfig.clientKeyData);
    expect(text).not.toContain(Buffer.from(TEST_KEY_BODY).toString('base64'));
  });

  it('masks a password, and the Basic header built from it, leaving prose alone', () => {
    const user = { token: undefined, username: 'auditor', password: 'pa55-w0rd-value' };
    const { kubeconfig } = sanitizeKubeconfig(kubeconfigYaml({ user }));
    const header = Buffer.from('auditor:pa55-w0rd-value').toString('base64');
    const text = redactText(
      `sent Authorization: Basic ${header}; ${header}; password pa55-w0rd-value; Basic checks passed`,
      secretsOf(kubeconfig),
    );
    expect(text).not.toContain(header);
    expect(text).not.toContain('pa55-w0rd-value');
    expect(text).toContain('Basic checks passed');
  });
});

describe('the logger checks write to', () => {
  it('masks the run’s secrets in the message and in every field', () => {
    const lines: string[] = [];
    const base = createLogger({ write: (line) => lines.push(line) });
    const log = redactingLogger(base, [TEST_TOKEN]);
    log.warn(`request with ${TEST_TOKEN} refused`, { error: { message: `token ${TEST_TOKEN} expired` }, count: 2 });
    expect(lines.join('')).not.toContain(TEST_TOKEN);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'warn',
      msg: 'request with [redacted] refused',
      error: { message: 'token [redacted] expired' },
      count: 2,
    });
  });
});
