/**
 * A node whose kubelet process is down (kubelet/down.ts): the API server cannot dial its
 * port, so exec, attach, port-forward and logs to that node's pods fail at once — while the
 * node may still read Ready until the node-monitor grace period passes.
 *
 * What the API server answers (a plain Go error through responsewriters: HTTP 500, Status
 * with no reason, so kubectl prints `Error from server: <message>`):
 * - exec/attach/portforward: the upgrade-aware proxy's dial error, `error dialing backend:
 *   dial tcp <ip>:10250: connect: connection refused`
 *   (staging/src/k8s.io/apimachinery/pkg/util/proxy/upgradeaware.go, `dial`);
 * - pods/log: the LocationStreamer's GET to `https://<ip>:<port>/containerLogs/<ns>/<pod>/<ctr>`
 *   with the query LogLocation builds (pkg/registry/core/pod/strategy.go), failing as Go's
 *   http client reports it: `Get "<url>": dial tcp <ip>:10250: connect: connection refused`.
 * The address is the node's InternalIP and status.daemonEndpoints.kubeletEndpoint.Port.
 */
import type { ClusterView, KubeObj } from '../contracts.js';
import { kubeletDown } from '../kubelet/down.js';
import type { ApiStatus } from './status.js';

interface KubeletAddress {
  ip: string;
  port: number;
}

/** The kubelet address of the pod's node when that kubelet is down; undefined when it is up. */
function downKubelet(view: ClusterView, pod: KubeObj): KubeletAddress | undefined {
  const nodeName: string | undefined = pod.spec?.nodeName;
  if (!nodeName || !kubeletDown(view.faults, nodeName)) return undefined;
  const node = view.store.get('nodes', undefined, nodeName);
  const addresses: Array<{ type: string; address: string }> = node?.status?.addresses ?? [];
  const ip = addresses.find((a) => a.type === 'InternalIP')?.address ?? nodeName;
  const port: number = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250;
  return { ip, port };
}

/** A Go error through responsewriters.ErrorNegotiated: 500, reason left empty (StatusReasonUnknown). */
function unknownError(message: string): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
}

const refused = (a: KubeletAddress) => `dial tcp ${a.ip}:${a.port}: connect: connection refused`;

/** exec, attach, portforward: the refusal to answer before any upgrade, or undefined. */
export function streamDialFailure(view: ClusterView, pod: KubeObj): ApiStatus | undefined {
  const address = downKubelet(view, pod);
  return address && unknownError(`error dialing backend: ${refused(address)}`);
}

/** pods/log: the refusal, naming the URL the API server tried, or undefined. */
export function logsDialFailure(
  view: ClusterView,
  pod: KubeObj,
  container: string,
  query: URLSearchParams,
): ApiStatus | undefined {
  const address = downKubelet(view, pod);
  if (!address) return undefined;
  const params = new URLSearchParams();
  const flag = (name: string) => ['true', '1'].includes(query.get(name) ?? '');
  // LogLocation's order; url.Values.Encode then sorts by key.
  if (flag('follow')) params.set('follow', 'true');
  if (flag('previous')) params.set('previous', 'true');
  if (flag('timestamps')) params.set('timestamps', 'true');
  for (const name of ['sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes']) {
    const v = query.get(name);
    if (v !== null) params.set(name, v);
  }
  params.sort();
  const qs = params.toString();
  const url = `https://${address.ip}:${address.port}/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}${qs ? `?${qs}` : ''}`;
  return unknownError(`Get "${url}": ${refused(address)}`);
}
