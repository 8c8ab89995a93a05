/**
 * events.k8s.io/v1 Events are the same objects as core/v1 Events, with renamed fields; the
 * real API server converts between them. These two functions do the same.
 */
import type { KubeObj } from '../contracts.js';

export function coreToEventsV1(e: KubeObj): KubeObj {
  const out: KubeObj = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    reportingController: e.reportingComponent || e.source?.component || '',
    reportingInstance: e.reportingInstance || e.source?.host || '',
    action: e.action,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
  if (e.related) out.related = e.related;
  if (e.series) out.series = e.series;
  return out;
}

export function eventsV1ToCore(e: KubeObj): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource ?? { component: e.reportingController },
    firstTimestamp: e.deprecatedFirstTimestamp ?? null,
    lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime ?? null,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    series: e.series,
  };
}
