/**
 * `nodes/NAME/proxy/PATH`: the API server proxies to the node's kubelet
 * (pkg/registry/core/node/rest/proxy.go, an upgrade-aware proxy to
 * https://<InternalIP>:<kubeletEndpoint.Port>/PATH), authorized as the request's verb on
 * `nodes/proxy`. The kubelet side answers what clients read through it: /healthz, /pods (the
 * pods bound to that node), /configz, /metrics, /stats/summary; other paths get the kubelet
 * mux's `404 page not found`. A kubelet that is down cannot be dialled: 503 ServiceUnavailable
 * `error trying to reach service: dial tcp <ip>:<port>: connect: connection refused`.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObj } from '../contracts.js';
import { kubeletDown } from '../kubelet/down.js';
import { notFound, StatusError } from '../store/errors.js';
import type { ApiContext } from './context.js';
import { sendJson, sendText } from './http-util.js';
import type { RequestInfo } from './request-info.js';

function kubeletAddress(node: KubeObj): { ip: string; port: number } {
  const addresses: Array<{ type: string; address: string }> = node.status?.addresses ?? [];
  return {
    ip: addresses.find((a) => a.type === 'InternalIP')?.address ?? node.metadata.name,
    port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250,
  };
}

export function serveNodeProxy(res: ServerResponse, ctx: ApiContext, info: RequestInfo) {
  const node = ctx.store.get('nodes', undefined, info.name);
  if (!node) throw notFound({ group: '', resource: 'nodes' }, info.name);
  if (kubeletDown(ctx.faults, info.name)) {
    const { ip, port } = kubeletAddress(node);
    throw new StatusError(
      503,
      'ServiceUnavailable',
      `error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`,
    );
  }
  const path = `/${info.parts.slice(3).join('/')}`;
  const pods = () => ctx.store.list('pods').filter((p) => p.spec?.nodeName === info.name);
  switch (path.replace(/\/$/, '') || '/') {
    case '/healthz':
      return sendText(res, 200, 'ok');
    case '/pods':
      return sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: pods() });
    case '/configz':
      return sendJson(res, 200, {
        kubeletconfig: {
          enableServer: true,
          staticPodPath: '/etc/kubernetes/manifests',
          syncFrequency: '1m0s',
          port: kubeletAddress(node).port,
          authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
          authorization: { mode: 'Webhook' },
          cgroupDriver: 'systemd',
          nodeStatusUpdateFrequency: '10s',
          nodeStatusReportFrequency: '5m0s',
          containerRuntimeEndpoint: 'unix:///var/run/containerd/containerd.sock',
        },
      });
    case '/metrics':
      return sendText(
        res,
        200,
        `# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox\n# TYPE kubelet_running_pods gauge\nkubelet_running_pods ${pods().filter((p) => p.status?.phase === 'Running').length}\n`,
        'text/plain; version=0.0.4; charset=utf-8',
      );
    case '/stats/summary':
      return sendJson(res, 200, {
        node: { nodeName: info.name, startTime: node.metadata.creationTimestamp },
        pods: pods().map((p) => ({
          podRef: { name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
          startTime: p.status?.startTime,
        })),
      });
    default:
      return sendText(res, 404, '404 page not found\n');
  }
}
