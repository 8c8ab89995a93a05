/**
 * `/docs` works offline: the page and every asset come from the service (swagger-ui-dist from
 * node_modules, the version package.json pins), the page names no other origin, and Debian's
 * headless Chromium, with every non-loopback request aborted, lists the operations and runs one
 * "Try it out" call. A screenshot goes to test-artifacts/docs/ (gitignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts/docs');
const TOKEN = 'docs-test-token-0123456789abcdef';
const pinned = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
).dependencies['swagger-ui-dist'];
const installed = (
  JSON.parse(readFileSync(path.join(ROOT, 'node_modules/swagger-ui-dist/package.json'), 'utf8')) as { version: string }
).version;

/** Loopback only: 127.0.0.0/8 and ::1 (the rule every test follows). */
function isLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

let base = '';
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', KUBEPROOF_DB: ':memory:', KUBEPROOF_API_TOKENS: `docs:${TOKEN}` }),
    { writeLog: () => undefined },
  );
  stop = server.stop;
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => stop?.());

describe('/docs is served by the service itself', () => {
  it('pins swagger-ui-dist and serves its assets from the package, with no other origin in the page', async () => {
    expect(pinned, 'package.json pins an exact swagger-ui-dist version').toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const init = await (await fetch(`${base}/docs/init.js`)).text();
    for (const text of [html, init]) expect(text).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith('/docs/'), ref).toBe(true);
      const res = await fetch(`${base}${ref}`);
      expect(res.status, ref).toBe(200);
      const file = path.basename(ref);
      if (file !== 'init.js')
        expect(
          Buffer.from(await res.arrayBuffer()).equals(
            readFileSync(path.join(ROOT, 'node_modules/swagger-ui-dist', file)),
          ),
          ref,
        ).toBe(true);
    }
    expect(html).toContain(`/docs/assets/${installed}/swagger-ui-bundle.js`);
    expect((await fetch(`${base}/docs/assets/0.0.1/swagger-ui-bundle.js`)).status).toBe(404);
    expect((await fetch(`${base}/docs/assets/${installed}/package.json`)).status).toBe(404);
  });
});

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `offline /docs browser test skipped: ${CHROMIUM} is not installed (Debian package chromium; npm test's prerequisites step installs it when run as root)`,
  );

/** Opens an operation, clicks "Try it out" then "Execute", waits for a 200 and returns the response body shown. */
async function tryItOut(operation: Locator): Promise<string> {
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await expect.poll(async () => (await status.textContent())?.trim(), { timeout: 60_000 }).toBe('200');
  return (
    (await operation
      .locator('.live-responses-table .response-col_description .highlight-code')
      .first()
      .textContent()) ?? ''
  );
}

describe.skipIf(!hasChromium)(`/docs in headless Chromium (${CHROMIUM}), every non-loopback request aborted`, () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('lists every operation and runs "Try it out" on GET /healthz and, with the token, GET /v1/checks', {
    timeout: 240_000,
  }, async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 120_000,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const aborted: string[] = [];
    const served: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLoopback(url)) {
        served.push(url);
        await route.continue();
      } else {
        aborted.push(url);
        await route.abort('blockedbyclient');
      }
    });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });

    await page.goto(`${base}/docs`, { waitUntil: 'load' });
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations.length);
    for (const op of operations)
      expect(await page.locator(`#operations-${op.tags[0]}-${op.operationId}`).count(), op.operationId).toBe(1);

    // Try it out, without a token: GET /healthz (security: []).
    expect(await tryItOut(page.locator('#operations-health-getLiveness'))).toContain('"ok"');

    // With the bearer token (Authorize), a /v1 route: GET /v1/checks.
    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .click();
    // The API token's scheme (the dialog also lists the /metrics token's).
    const bearer = page.locator('.modal-ux form').filter({ hasText: 'bearerAuth' });
    await bearer.locator('input').first().fill(TOKEN);
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await page.locator('.modal-ux button.btn-done').first().click();
    expect(await tryItOut(page.locator('#operations-checks-listChecks'))).toContain('preflight.api');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'swagger-ui.png'), fullPage: true });

    expect(aborted, 'requests to non-loopback addresses').toEqual([]);
    expect(served.some((u) => u.endsWith('/openapi.json'))).toBe(true);
    expect(served.some((u) => u.endsWith('/healthz'))).toBe(true);
    expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
