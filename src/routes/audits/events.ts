import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AuditStore } from '../../db/store.js';
import type { AppEnv } from '../../http/env.js';
import { ApiError } from '../../http/errors.js';
import { notFoundResponse, tooManyRequestsResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { isFinal } from '../../kernel/vocabulary.js';
import { findRunRowOr404 } from './lookup.js';
import { AuditEventList, AuditIdParams, EventsQuery } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'get',
  path: '/v1/audits/{id}/events',
  operationId: 'listAuditEvents',
  summary: 'Follow progress',
  description:
    'Progress events. JSON list by default; with `Accept: text/event-stream`, Server-Sent Events (`event: progress`, id = seq) ' +
    'that end with one `event: end` carrying the final status; a `: heartbeat` comment every 15 s while nothing happens. ' +
    '`Last-Event-ID` or `?after=` resumes.',
  request: { params: AuditIdParams, query: EventsQuery },
  responses: {
    200: {
      description: 'Events',
      content: {
        'application/json': { schema: AuditEventList },
        'text/event-stream': {
          schema: z.string().openapi({ description: 'SSE stream', example: 'event: progress\nid: 1\ndata: {...}\n\n' }),
        },
      },
    },
    ...notFoundResponse,
    ...tooManyRequestsResponse,
  },
});

function presentEvent(row: ReturnType<AuditStore['listEvents']>[number]) {
  return { seq: row.seq, at: row.at.toISOString(), level: row.level, message: row.message, checkId: row.checkId };
}

/**
 * Proxies and load balancers close a connection that carries nothing for a while (nginx's
 * proxy_read_timeout is 60 s); an SSE comment line keeps it open while a check waits.
 */
const SSE_HEARTBEAT_MS = 15_000;

/** Waits for the next change, writing a heartbeat each time the interval passes without one. */
async function untilChangedOrHeartbeat(changed: Promise<void>, everyMs: number, beat: () => Promise<unknown>) {
  let done = false;
  void changed.then(() => {
    done = true;
  });
  while (!done) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<'tick'>((resolve) => {
      timer = setTimeout(() => resolve('tick'), everyMs);
    });
    const first = await Promise.race([changed, tick]);
    clearTimeout(timer);
    if (first === 'tick' && !done) await beat();
  }
}

/** Streams events as they are written, until the run is final (then one `end` event) or the client leaves. */
function streamEvents(c: Context<AppEnv>, id: string, after: number): Response {
  const store = c.var.store;
  const tenant = c.var.principal?.name ?? '';
  const release = c.var.streamSlots.acquire(tenant);
  if (!release) {
    throw new ApiError('too_many_requests', {
      detail: `${c.var.streamSlots.perTenant} event streams are already open for this tenant; close one, or poll the JSON form of this route.`,
      headers: { 'Retry-After': '10' },
    });
  }
  const heartbeatMs = c.var.settings.sseHeartbeatMs ?? SSE_HEARTBEAT_MS;
  return streamSSE(c, async (stream) => {
    let last = after;
    let wake: (() => void) | undefined;
    const unsubscribe = store.onChange(id, () => wake?.());
    stream.onAbort(() => wake?.());
    try {
      while (!stream.aborted) {
        // Subscribe-then-read: a write between the read and the wait still wakes us.
        const changed = new Promise<void>((resolve) => {
          wake = resolve;
        });
        // Read the status first: events written before the final status are then all visible below.
        const run = store.getRun(id);
        for (const row of store.listEvents(id, last)) {
          await stream.writeSSE({ event: 'progress', id: String(row.seq), data: JSON.stringify(presentEvent(row)) });
          last = row.seq;
        }
        if (!run || isFinal(run.status)) {
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ id, status: run?.status ?? 'unknown' }) });
          return;
        }
        await untilChangedOrHeartbeat(changed, heartbeatMs, () => stream.write(': heartbeat\n\n'));
      }
    } finally {
      unsubscribe();
      release();
    }
  });
}

/** `GET /v1/audits/{id}/events`: the events as JSON, or followed as Server-Sent Events. */
export function registerAuditEvents(app: Router): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid('param');
    const lastEventId = Number(c.req.header('last-event-id'));
    const after = Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : c.req.valid('query').after;
    const run = findRunRowOr404(c.var.store, id, c.var.principal);
    if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
      return streamEvents(c, id, after);
    }
    const items = c.var.store.listEvents(id, after).map(presentEvent);
    return c.json({ items, status: run.status, done: isFinal(run.status) }, 200);
  });
}
