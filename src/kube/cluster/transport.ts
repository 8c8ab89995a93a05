import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { OutboundPolicy } from '../../net/outbound-policy.js';
import { ClusterError } from '../cluster-access.js';
import { toLoadOptions } from '../kubeconfig/load-options.js';
import type { SanitizedKubeconfig } from '../kubeconfig/types.js';
import { readCapped, readPrefix } from './body.js';
import { describeForeignAnswer, errorFromResponse } from './errors.js';
import { DEFAULT_LIMITS, type ResponseLimits } from './limits.js';

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
  /** The body; for a non-2xx answer only its first `errorBodyBytes`. */
  body: string;
  /** Announced or counted body size in bytes. */
  length: number;
}

export interface RequestSpec {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal: AbortSignal;
  /** Cap on a 2xx body (default: limits.objectBytes). */
  maxBytes?: number;
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
    readonly limits: ResponseLimits = DEFAULT_LIMITS,
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

  /**
   * A whole request: status, headers and body text, read under its cap while it streams (a 2xx
   * body past `maxBytes` is a `too-large` error; of an error answer only the first
   * `errorBodyBytes` are kept, enough for its Status).
   */
  async send(spec: RequestSpec): Promise<RawResponse> {
    const res = await this.open(spec);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const { body, length } = await readPrefix(res, this.limits.errorBodyBytes);
      return { status, headers, body: body.toString('utf8'), length };
    }
    const what = `the answer to ${spec.method} ${spec.path.split('?')[0]}`;
    const body = await readCapped(res, spec.maxBytes ?? this.limits.objectBytes, what);
    return { status, headers, body: body.toString('utf8'), length: body.length };
  }

  /** send(), then throw a ClusterError for anything but 2xx. */
  async sendOk(spec: RequestSpec): Promise<string> {
    const res = await this.send(spec);
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res.status, res.body, { contentType: res.headers['content-type'], length: res.length });
    }
    return res.body;
  }

  /** sendOk() and JSON.parse; a body that is not JSON is described, never quoted (the parser's message would quote it). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const res = await this.send(spec);
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(res.status, res.body, { contentType: res.headers['content-type'], length: res.length });
    }
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new ClusterError(
        'unreachable',
        `not a Kubernetes API server: ${describeForeignAnswer(res.status, { contentType: res.headers['content-type'], length: res.length }).replace('a Kubernetes Status', 'JSON')}`,
        res.status,
      );
    }
  }

  close(): void {
    void this.agent.then(({ agent }) => agent.destroy());
  }
}
