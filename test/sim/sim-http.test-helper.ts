/** Raw HTTPS requests and watches to a simulated cluster, trusting its CA (tests only). */
/* biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON events */
import { request } from 'node:https';
import type { FaultSpec, SimCluster } from './index.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

export function rawRequest(
  sim: Pick<SimCluster, 'url' | 'caPem' | 'token'>,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<RawResponse> {
  const url = new URL(path, sim.url);
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: sim.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface WatchStream {
  status: number;
  /** Resolves with the next event, or rejects after the deadline. */
  next(deadlineMs?: number): Promise<{ type: string; object: any }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch and hands out its newline-delimited events one by one. */
export function openWatch(
  sim: Pick<SimCluster, 'url' | 'caPem' | 'token'>,
  path: string,
  headers: Record<string, string> = {},
): Promise<WatchStream> {
  const url = new URL(path, sim.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', headers: { Authorization: `Bearer ${sim.token}`, ...headers }, ca: sim.caPem },
      (res) => {
        const queue: Array<{ type: string; object: any }> = [];
        const waiters: Array<(e: { type: string; object: any }) => void> = [];
        let buffered = '';
        let endResolve: () => void = () => {};
        const ended = new Promise<void>((r) => {
          endResolve = r;
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
            const line = buffered.slice(0, i);
            buffered = buffered.slice(i + 1);
            if (!line.trim()) continue;
            const event = JSON.parse(line);
            const waiter = waiters.shift();
            if (waiter) waiter(event);
            else queue.push(event);
          }
        });
        res.on('end', endResolve);
        res.on('close', endResolve);
        resolve({
          status: res.statusCode ?? 0,
          ended,
          close: () => req.destroy(),
          next(deadlineMs = 5000) {
            const queued = queue.shift();
            if (queued) return Promise.resolve(queued);
            return new Promise((res2, rej2) => {
              const timer = setTimeout(() => rej2(new Error(`no watch event within ${deadlineMs} ms`)), deadlineMs);
              waiters.push((e) => {
                clearTimeout(timer);
                res2(e);
              });
            });
          },
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Switches a fault on for the duration of fn, and off again even when fn fails. */
export async function withFault<T>(sim: Pick<SimCluster, 'faults'>, spec: FaultSpec, fn: () => Promise<T>): Promise<T> {
  sim.faults.enable(spec);
  try {
    return await fn();
  } finally {
    sim.faults.disable(spec);
  }
}
