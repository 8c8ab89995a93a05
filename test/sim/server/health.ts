/** `/version`, `/healthz`, `/livez`, `/readyz` with the texts kube-apiserver prints. */
import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from './http-util.js';
import type { VersionInfo } from './version.js';

const livezChecks = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/start-legacy-token-tracking-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];
const readyzChecks = ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...livezChecks.slice(3), 'shutdown'];

function healthCheck(res: ServerResponse, name: 'livez' | 'readyz' | 'healthz', query: URLSearchParams): void {
  if (!query.has('verbose')) {
    sendText(res, 200, 'ok');
    return;
  }
  const checks = name === 'readyz' ? readyzChecks : livezChecks;
  const lines = checks.map((c) => `[+]${c} ok`);
  sendText(res, 200, `${lines.join('\n')}\n${name} check passed\n`);
}

/** Answers the non-resource health paths; false when the path is not one of them. */
export function serveHealth(res: ServerResponse, path: string, query: URLSearchParams, version: VersionInfo): boolean {
  if (path === '/version' || path === '/version/') {
    sendJson(res, 200, version);
    return true;
  }
  const m = /^\/(livez|readyz|healthz)(?:\/([^/]+(?:\/[^/]+)*))?\/?$/.exec(path);
  if (!m) return false;
  if (m[2]) sendText(res, 200, 'ok');
  else healthCheck(res, m[1] as 'livez' | 'readyz' | 'healthz', query);
  return true;
}

/** Paths anyone may read without credentials (system:public-info-viewer). */
export function isPublicPath(path: string): boolean {
  return /^\/(version|livez|readyz|healthz)(\/|$)/.test(path);
}
