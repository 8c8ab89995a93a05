/**
 * reportReadRatio: requests/s of the stored run's routes against requests/s of the same bytes
 * served from memory by the same server (the probe's /__bench/memory/ route), interleaved in
 * rounds so that both see the same machine; then the list route with many stored runs.
 */
import Database from 'better-sqlite3';
import type { IpcClient } from './ipc.js';
import { percentile, round } from './stats.js';

/** Interleaved rounds per route (an odd number, so the median is one of them). */
const ROUNDS = 7;

/** `count` GETs of `url` over `connections` parallel workers; requests per second. */
async function throughput(url: string, count: number, connections: number): Promise<number> {
  let left = count;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left > 0) {
        left--;
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
      }
    }),
  );
  return count / ((performance.now() - began) / 1000);
}

async function latencies(url: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

export async function measureReads(base: string, probe: IpcClient, runId: string, reads: number, connections: number) {
  const routes: Record<string, string> = {
    'GET /v1/audits/{id}': `/v1/audits/${runId}`,
    'GET /v1/audits/{id}/report?format=json': `/v1/audits/${runId}/report?format=json`,
    'GET /v1/audits/{id}/report?format=junit': `/v1/audits/${runId}/report?format=junit`,
    'GET /v1/audits/{id}/report?format=markdown': `/v1/audits/${runId}/report?format=markdown`,
  };
  const keys = Object.keys(routes);
  for (const [i, name] of keys.entries()) {
    const res = await fetch(base + routes[name]!);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
    await probe.ask('memory', {
      key: String(i),
      body: body.toString('base64'),
      headers: { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' },
    });
  }
  // Per route, one ratio per round; the route and its yardstick alternate which goes first, so a
  // machine getting busier or quieter during a round does not favour either. The median of the
  // rounds is reported: on a shared machine single rounds swing by a third.
  const perRound = keys.map(() => ({ route: [] as number[], memory: [] as number[], ratio: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, name] of keys.entries()) {
      const routeUrl = base + routes[name]!;
      const memoryUrl = `${base}/__bench/memory/${i}`;
      const [first, second] = round % 2 === 0 ? [routeUrl, memoryUrl] : [memoryUrl, routeUrl];
      const a = await throughput(first, reads, connections);
      const b = await throughput(second, reads, connections);
      const [route, memory] = round % 2 === 0 ? [a, b] : [b, a];
      perRound[i]!.route.push(route);
      perRound[i]!.memory.push(memory);
      perRound[i]!.ratio.push(route / memory);
    }
  }
  return Object.fromEntries(
    keys.map((name, i) => {
      const { route, memory, ratio } = perRound[i]!;
      return [
        name,
        {
          requestsPerSecond: round(percentile(route, 50), 0),
          sameBytesFromMemory: round(percentile(memory, 50), 0),
          ratio: round(percentile(ratio, 50), 3),
          ratioPerRound: ratio.map((r) => round(r, 2)),
        },
      ];
    }),
  );
}

/** Copies the stored run `runId` until `count` runs are stored, one second apart, older than it. */
export function storeRuns(dbPath: string, runId: string, count: number): void {
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 10000');
    const columns = (db.prepare('PRAGMA table_info(audit_runs)').all() as Array<{ name: string }>).map((c) => c.name);
    const rest = columns.filter((c) => c !== 'id' && c !== 'created_at');
    const insert = db.prepare(
      `INSERT INTO audit_runs (id, created_at, ${rest.join(', ')})
       SELECT ? || printf('%07d', ?), created_at - ? * 1000, ${rest.join(', ')} FROM audit_runs WHERE id = ?`,
    );
    const existing = (db.prepare('SELECT count(*) AS n FROM audit_runs').get() as { n: number }).n;
    db.transaction(() => {
      for (let i = 1; i <= count - existing; i++) insert.run('bench-', i, i, runId);
    })();
  } finally {
    db.close();
  }
}

export async function measureList(base: string, storedRuns: number) {
  const samples = 50;
  const first = await latencies(`${base}/v1/audits?limit=20`, samples);
  // Walk to the last pages with big pages, then time a 20-run page there.
  const pageSize = Math.max(1, Math.min(100, Math.floor(storedRuns / 10)));
  let cursor: string | null = null;
  let depth = 0;
  while (depth + pageSize + 20 < storedRuns) {
    const query = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(`${base}/v1/audits?${query}`)).json()) as {
      nextCursor: string | null;
      items: unknown[];
    };
    if (!page.nextCursor) break;
    depth += page.items.length;
    cursor = page.nextCursor;
  }
  const deep = cursor
    ? await latencies(`${base}/v1/audits?limit=20&cursor=${encodeURIComponent(cursor)}`, samples)
    : [];
  const ms = (xs: number[]) => ({ p50: round(percentile(xs, 50), 2), p95: round(percentile(xs, 95), 2) });
  return { storedRuns, firstPageMs: ms(first), deepCursorPageMs: { ...ms(deep), depth } };
}
