/**
 * Fault `kubelet-rbac-denied`: the kubelet's webhook authorizer refuses the API server's client
 * certificate (Kubernetes the Hard Way's classic missing ClusterRoleBinding). The messages are
 * the ones a real cluster shows (docs/real-symptoms.md).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClusterView } from '../contracts.js';
import { isWebSocketUpgrade } from './channel-stream.js';
import { rejectUpgrade, rejectUpgradeText } from './raw-http.js';
import { type ApiStatus, failureStatus, internalError } from './status.js';

export const kubeletRefuses = (view: ClusterView): boolean => view.faults.has('kubelet-rbac-denied');

function forbidden(view: ClusterView, verb: 'get' | 'create'): string {
  return `Forbidden (user=${view.apiserverKubeletUser}, verb=${verb}, resource=nodes, subresource=proxy)`;
}

/** pods/log: the kubelet's 403 passed through, with the API server's ` ( pods/log <pod>)` suffix. */
export function logsForbidden(view: ClusterView, pod: string): ApiStatus {
  return failureStatus(403, 'Forbidden', `${forbidden(view, 'get')} ( pods/log ${pod})`, {
    name: pod,
    kind: 'pods/log',
  });
}

/**
 * exec/attach/portforward refused before switching protocols. A WebSocket client gets the API
 * server's InternalError Status; an SPDY client (kubectl's fallback) gets the kubelet's own
 * 403 text, which kubectl prints as `error: unable to upgrade connection: Forbidden (...)`.
 */
export function refuseUpgrade(view: ClusterView, req: IncomingMessage, socket: Duplex): void {
  if (isWebSocketUpgrade(req)) rejectUpgrade(socket, upgradeForbidden(view));
  else rejectUpgradeText(socket, 403, forbidden(view, 'create'));
}

export function upgradeForbidden(view: ClusterView): ApiStatus {
  return internalError(`unable to upgrade connection: ${forbidden(view, 'create')}`);
}
