/**
 * pods/log as the kubelet serves it through the API server: tailLines, timestamps, sinceSeconds,
 * sinceTime, limitBytes, previous, and follow (chunked, until the client leaves or the
 * container ends).
 */
import type { ServerResponse } from 'node:http';
import type { ClusterView, KubeObj } from '../contracts.js';
import { queryFlag } from '../query-params.js';
import type { LogEntry } from './container-log.js';
import type { ContainerRegistry } from './container-registry.js';
import { kubeletRefuses, logsForbidden } from './kubelet-refusal.js';
import { logsDialFailure } from './kubelet-unreachable.js';
import { chooseContainer, waitingReason } from './pod-containers.js';
import { writeStatus } from './raw-http.js';
import { badRequest } from './status.js';

interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  previous: boolean;
  tailLines?: number;
  sinceMillis?: number;
  limitBytes?: number;
}

function parseQuery(query: URLSearchParams): LogQuery {
  const flag = (name: string) => queryFlag(query, name);
  const number = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
  const sinceSeconds = number('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  const parsed: LogQuery = { follow: flag('follow'), timestamps: flag('timestamps'), previous: flag('previous') };
  const tailLines = number('tailLines');
  if (tailLines !== undefined && tailLines >= 0) parsed.tailLines = tailLines;
  const limitBytes = number('limitBytes');
  if (limitBytes !== undefined && limitBytes > 0) parsed.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) parsed.sinceMillis = Date.now() - sinceSeconds * 1000;
  else if (sinceTime) parsed.sinceMillis = Date.parse(sinceTime);
  return parsed;
}

export function handleLogs(
  view: ClusterView,
  registry: ContainerRegistry,
  res: ServerResponse,
  pod: KubeObj,
  requested: string,
  rawQuery: URLSearchParams,
): void {
  const chosen = chooseContainer(pod, requested);
  if ('error' in chosen) {
    writeStatus(res, chosen.error);
    return;
  }
  const container = chosen.name;
  const refusal =
    logsDialFailure(view, pod, container, rawQuery) ??
    (kubeletRefuses(view) ? logsForbidden(view, pod.metadata.name) : undefined);
  if (refusal) {
    writeStatus(res, refusal);
    return;
  }
  const query = parseQuery(rawQuery);
  const slot = registry.find(pod, container);
  const instance = query.previous ? slot?.previous : slot?.current;
  if (!instance) {
    const message = query.previous
      ? `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`
      : `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waitingReason(pod, container)}`;
    writeStatus(res, badRequest(message));
    return;
  }

  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  let budget = query.limitBytes ?? Number.POSITIVE_INFINITY;
  const format = (entry: LogEntry) => (query.timestamps ? `${entry.timestamp} ${entry.text}` : entry.text);
  /** Writes an entry within limitBytes; false once the budget is spent. */
  const emit = (entry: LogEntry): boolean => {
    const text = Buffer.from(format(entry));
    if (text.length >= budget) {
      res.write(text.subarray(0, budget));
      budget = 0;
      return false;
    }
    budget -= text.length;
    res.write(text);
    return true;
  };

  let backlog = instance.log.entries.filter((e) => query.sinceMillis === undefined || e.millis >= query.sinceMillis);
  if (query.tailLines !== undefined) backlog = query.tailLines === 0 ? [] : backlog.slice(-query.tailLines);
  const complete = backlog.every(emit);
  if (!complete || !query.follow || instance.log.isEnded) {
    res.end();
    return;
  }

  const unfollow = instance.log.follow((entry) => {
    if (entry === undefined || !emit(entry)) {
      unfollow();
      res.end();
    }
  });
  res.on('close', unfollow);
}
