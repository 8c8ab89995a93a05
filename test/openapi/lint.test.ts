/**
 * The committed OpenAPI document passes Redocly's `recommended` ruleset (redocly.yaml) and
 * Spectral's `spectral:oas` (.spectral.yaml) with no errors: both CLIs from node_modules, run
 * offline (telemetry and update checks off). A deliberately broken copy shows each lint can fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = path.join(ROOT, 'openapi/openapi.json');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
const env = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_UPDATE_NOTIFIER: '1',
  NO_COLOR: '1',
};
const dir = mkdtempSync(path.join(tmpdir(), 'kubeproof-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[]) {
  const res = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

const redocly = (doc: string) => run(bin('redocly'), ['lint', doc, '--config', path.join(ROOT, 'redocly.yaml')]);
const spectral = (doc: string) =>
  run(bin('spectral'), ['lint', doc, '--ruleset', path.join(ROOT, '.spectral.yaml'), '--fail-severity', 'error']);

/** A copy of the document with two operations sharing one operationId and a dangling $ref. */
function brokenCopy(): string {
  const doc = JSON.parse(readFileSync(DOC, 'utf8'));
  doc.paths['/v1/checks'].get.operationId = doc.paths['/v1/audits'].get.operationId;
  doc.paths['/v1/rbac'].get.responses['200'] = {
    description: 'x',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/DoesNotExist' } } },
  };
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('OpenAPI lint', { timeout: 300_000 }, () => {
  it("Redocly's recommended ruleset: no errors", () => {
    const res = redocly(DOC);
    expect(res.output).toContain('valid');
    expect(res.status, res.output).toBe(0);
  });

  it("Spectral's spectral:oas: no errors", () => {
    const res = spectral(DOC);
    expect(res.output).toMatch(/0 errors|No results with a severity of 'error' found/);
    expect(res.status, res.output).toBe(0);
  });

  it('both fail on a broken document (duplicate operationId, dangling $ref)', () => {
    const broken = brokenCopy();
    const r = redocly(broken);
    expect(r.status, r.output).not.toBe(0);
    expect(r.output).toMatch(/operation-operationId-unique|no-unresolved-refs/);
    const s = spectral(broken);
    expect(s.status, s.output).not.toBe(0);
    expect(s.output).toMatch(/operation-operationId-unique|invalid-ref/);
  });
});
