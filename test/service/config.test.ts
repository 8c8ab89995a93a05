import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dbPath: './data/kubeproof.db',
      apiTokens: [],
      allowUnauthenticated: false,
      maxConcurrentAudits: 4,
      auditDeadlineSeconds: 300,
      runbookPath: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      KUBEPROOF_DB: '/tmp/k.db',
      KUBEPROOF_API_TOKENS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb',
      KUBEPROOF_MAX_CONCURRENT_AUDITS: '2',
      KUBEPROOF_AUDIT_DEADLINE_SECONDS: '60',
      KUBEPROOF_RUNBOOK: './runbook.yaml',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      apiTokens: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      maxConcurrentAudits: 2,
      auditDeadlineSeconds: 60,
      runbookPath: './runbook.yaml',
    });
  });

  it('names each bad value in its own message', () => {
    const list = problems({
      PORT: 'eighty',
      KUBEPROOF_MAX_CONCURRENT_AUDITS: '0',
      KUBEPROOF_AUDIT_DEADLINE_SECONDS: '1.5',
      HOST: 'my host',
      KUBEPROOF_ALLOW_UNAUTHENTICATED: 'yes',
    });
    expect(list).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'KUBEPROOF_MAX_CONCURRENT_AUDITS must be a whole number from 1 to 64, got "0"',
        'KUBEPROOF_AUDIT_DEADLINE_SECONDS must be a whole number from 10 to 86400, got "1.5"',
        'HOST must be an IP address or "localhost", got "my host"',
        'KUBEPROOF_ALLOW_UNAUTHENTICATED must be 1 or 0, got "yes"',
      ]),
    );
  });

  it('refuses a short API token without echoing it', () => {
    const [message] = problems({ KUBEPROOF_API_TOKENS: 'long-enough-token-000,zq9x' });
    expect(message).toContain('token #2');
    expect(message).not.toContain('zq9x');
  });

  it('refuses a non-loopback HOST without tokens unless KUBEPROOF_ALLOW_UNAUTHENTICATED=1', () => {
    expect(problems({ HOST: '0.0.0.0' })[0]).toContain('KUBEPROOF_API_TOKENS');
    expect(loadConfig({ HOST: '0.0.0.0', KUBEPROOF_ALLOW_UNAUTHENTICATED: '1' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });
});
