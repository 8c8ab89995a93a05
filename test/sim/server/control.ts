/**
 * The simulation's control endpoint, outside the Kubernetes API and behind the same bearer
 * token: toggle faults, read request accounting, change latencies.
 *   GET  /__sim/faults                       → { faults: [...] }
 *   POST /__sim/faults {enable|disable: spec} → { faults: [...] }   (400 for an unknown fault)
 *   GET  /__sim/accounting                   → { total, requests, watchesOpened }
 *   POST /__sim/accounting/reset
 *   GET|POST /__sim/latencies                 → current latencies (POST merges a partial)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Latencies } from '../contracts.js';
import type { SimFaultSet } from '../faults.js';
import { parseFault, UnknownFaultError } from '../faults.js';
import { badRequest, pathNotFound } from '../store/errors.js';
import type { Accounting } from './accounting.js';
import { readJson, sendJson } from './http-util.js';

export interface ControlApi {
  faults: SimFaultSet;
  accounting: Accounting;
  latencies(): Latencies;
  setLatencies(patch: Partial<Latencies>): void;
}

export const controlPrefix = '/__sim/';

async function toggleFaults(req: IncomingMessage, api: ControlApi): Promise<void> {
  const body = (await readJson(req)) ?? {};
  try {
    for (const spec of [body.enable ?? []].flat()) api.faults.enable(parseFault(String(spec)).spec);
    for (const spec of [body.disable ?? []].flat()) api.faults.disable(parseFault(String(spec)).spec);
  } catch (e) {
    if (e instanceof UnknownFaultError) throw badRequest(e.message);
    throw e;
  }
}

export async function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  api: ControlApi,
): Promise<void> {
  const method = req.method ?? 'GET';
  const route = `${method} ${path.replace(/\/$/, '')}`;
  switch (route) {
    case 'GET /__sim/faults':
      return sendJson(res, 200, { faults: api.faults.list() });
    case 'POST /__sim/faults':
      await toggleFaults(req, api);
      return sendJson(res, 200, { faults: api.faults.list() });
    case 'GET /__sim/accounting':
      return sendJson(res, 200, api.accounting.snapshot());
    case 'POST /__sim/accounting/reset':
      api.accounting.reset();
      return sendJson(res, 200, api.accounting.snapshot());
    case 'GET /__sim/latencies':
      return sendJson(res, 200, api.latencies());
    case 'POST /__sim/latencies':
      api.setLatencies((await readJson(req)) ?? {});
      return sendJson(res, 200, api.latencies());
  }
  throw pathNotFound();
}
