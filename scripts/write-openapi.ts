/**
 * Writes openapi/openapi.json from the app's routes (`npm run openapi`). Deterministic: the
 * document depends only on the route definitions, never on configuration or data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { AuditStore } from '../src/db/store.js';
import { AuditRunner } from '../src/engine/service/runner.js';
import { silentLogger } from '../src/logger.js';
import { developerPolicy } from '../src/net/outbound-policy.js';
import { scriptArgs } from './script-args.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

/** The document exactly as `GET /openapi.json` serves it, formatted for the repository. */
export async function renderOpenApiFile(): Promise<string> {
  const database = openDatabase(':memory:');
  const clock = { now: () => new Date(0) };
  const store = new AuditStore(database.db);
  const runner = new AuditRunner({
    store,
    executor: { execute: async () => ({ cleanup: { deleted: true } }) },
    clock,
    logger: silentLogger,
    maxConcurrent: 1,
    deadlineSeconds: 60,
  });
  const app = createApp({
    store,
    runner,
    catalog: { list: () => [] },
    clock,
    logger: silentLogger,
    outbound: developerPolicy(),
    metrics: new Registry(),
    settings: { apiTokens: [], bodyLimitBytes: 1024 * 1024 },
  });
  const res = await app.request('/openapi.json');
  const document: unknown = await res.json();
  database.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  scriptArgs('Usage: npm run openapi\n\nWrites openapi/openapi.json from the routes (deterministic).', {});
  const text = await renderOpenApiFile();
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, text);
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
