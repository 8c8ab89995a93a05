import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { OutboundPolicy } from '../../net/outbound-policy.js';
import { toLoadOptions } from '../kubeconfig/load-options.js';
import type { SanitizedKubeconfig } from '../kubeconfig/types.js';
import { errorFromResponse } from './errors.js';

/**
 * KubeConfig from the sanitized fields only, through loadFromOptions (the intake's
 * toLoadOptions): nothing here can name a file, an exec plugin or an auth provider, so
 * nothing runs or is read on our host.
 */
export function kubeConfigFrom(creds: SanitizedKubeconfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions(toLoadOptions(creds));
  return kc;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RequestSpec {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal: AbortSignal;
}

/**
 * HTTPS to the API server with one keep-alive agent per run. We speak HTTP ourselves
 * (rather than client-node's generated APIs, Log or Watch) because those drop the Status body
 * of non-2xx answers, and the body is what tells a kubelet refusal from an RBAC denial.
 */
export class Transport {
  private readonly agent: Promise<{ agent: https.Agent; headers: Record<string, string> }>;

  constructor(
    readonly kc: KubeConfig,
    readonly server: string,
    /** Every connection is dialled through it: checked address, never a second lookup. */
    readonly outbound: OutboundPolicy,
  ) {
    this.agent = this.prepare();
  }

  private async prepare() {
    const opts: https.RequestOptions & { headers?: Record<string, string>; auth?: string } = {};
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const agent = this.outbound.agent({
      keepAlive: true,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    });
    return { agent, headers };
  }

  /** Opens a request and hands back the response stream, whatever its status. */
  async open(spec: RequestSpec): Promise<IncomingMessage> {
    const { agent, headers } = await this.agent;
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const url = new URL(this.server.replace(/\/$/, '') + spec.path);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.request(url, {
        method: spec.method,
        agent,
        signal: spec.signal,
        headers: {
          ...headers,
          Accept: spec.accept ?? 'application/json',
          ...(payload !== undefined
            ? { 'Content-Type': spec.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }
            : {}),
        },
      });
      req.on('response', resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A whole request: status, headers and body text. */
  async send(spec: RequestSpec): Promise<RawResponse> {
    const res = await this.open(spec);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** send(), then throw a ClusterError for anything but 2xx. */
  async sendOk(spec: RequestSpec): Promise<string> {
    const res = await this.send(spec);
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body);
    return res.body;
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    return JSON.parse(await this.sendOk(spec)) as T;
  }

  close(): void {
    void this.agent.then(({ agent }) => agent.destroy());
  }
}
