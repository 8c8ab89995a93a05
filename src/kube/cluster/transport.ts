import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
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
 * Connections one run keeps open to its API server at most (watches hold one each while they
 * last): a run cannot flood a cluster with handshakes, and a few concurrent checks still fit.
 */
export const MAX_SOCKETS_PER_RUN = 24;
/**
 * An idle kept-alive connection is closed after this long: below the 5 s idle timeout of Node
 * servers and well below Go's, so we close an idle connection before the server does and never
 * write a request into one it is closing.
 */
export const IDLE_SOCKET_MS = 4000;

type Prepared = { agent: https.Agent; headers: Record<string, string>; secureContext: tls.SecureContext };

/**
 * HTTPS to the API server with one keep-alive agent per run: the CA and client certificate are
 * parsed once into one TLS context, connections are capped and reused, TLS sessions resumed
 * (outbound-policy.ts), and exec/port-forward WebSockets dial with the same context. We speak
 * HTTP ourselves (rather than client-node's generated APIs, Log or Watch) because those drop the
 * Status body of non-2xx answers, and the body is what tells a kubelet refusal from an RBAC denial.
 */
export class Transport {
  private readonly prepared: Promise<Prepared>;
  private streamAgent: https.Agent | undefined;
  /** Requests in flight (a watch for as long as it streams): at most one connection each. */
  private readonly slots = new Slots(MAX_SOCKETS_PER_RUN);

  constructor(
    readonly kc: KubeConfig,
    readonly server: string,
    /** Every connection is dialled through it: checked address, never a second lookup. */
    readonly outbound: OutboundPolicy,
    readonly limits: ResponseLimits = DEFAULT_LIMITS,
  ) {
    this.prepared = this.prepare();
  }

  private async prepare() {
    const opts: https.RequestOptions & { headers?: Record<string, string>; auth?: string } = {};
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    // Parsed once per run: without it every connection would parse the CA and key again.
    const secureContext = tls.createSecureContext({ ca: opts.ca, cert: opts.cert, key: opts.key });
    const agent = this.outbound.agent({
      keepAlive: true,
      // The agent counts a socket only once the policy's asynchronous dial has connected it, so
      // its own cap does not hold a burst back: `slots` below does.
      maxSockets: MAX_SOCKETS_PER_RUN,
      maxFreeSockets: MAX_SOCKETS_PER_RUN,
      // The agent destroys a free socket when this socket timeout fires (an active one only hears of it).
      timeout: IDLE_SOCKET_MS,
      secureContext,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    });
    return { agent, headers, secureContext };
  }

  /**
   * The agent exec and port-forward WebSockets dial through (StreamDialer): the outbound policy,
   * the run's TLS context and TLS sessions. Upgraded sockets leave the agent, so no keep-alive.
   */
  agent(): https.Agent {
    if (this.streamAgent) return this.streamAgent;
    const agent = new https.Agent({});
    const prepared = this.prepared;
    // Dialled by the REST agent's connector: the outbound policy, the run's TLS context, and
    // its TLS sessions (a stream's handshake resumes the session the REST calls opened).
    (agent as unknown as { createConnection: CreateConnection }).createConnection = function createConnection(
      opts,
      callback,
    ) {
      prepared.then(
        ({ agent: rest, secureContext }) =>
          (rest as unknown as { createConnection: CreateConnection }).createConnection.call(
            rest,
            { ...opts, secureContext },
            callback,
          ),
        (err: unknown) => callback(err as Error),
      );
      return undefined;
    };
    this.streamAgent = agent;
    return agent;
  }

  /** Opens a request and hands back the response stream, whatever its status. */
  async open(spec: RequestSpec): Promise<IncomingMessage> {
    try {
      return await this.openOnce(spec);
    } catch (err) {
      // A kept-alive connection the server closed while idle, just as we wrote into it: the
      // request never reached it, so it is sent once more on a fresh connection (as Go's
      // transport does; Node marks such a request `reusedSocket`).
      if (!(err instanceof StaleConnection)) throw err;
      return this.openOnce(spec).catch((again: unknown) => {
        throw again instanceof StaleConnection ? again.cause : again;
      });
    }
  }

  private async openOnce(spec: RequestSpec): Promise<IncomingMessage> {
    const { agent, headers } = await this.prepared;
    const release = await this.slots.acquire(spec.signal);
    try {
      const res = await this.request(agent, headers, spec);
      res.once('close', release);
      return res;
    } catch (err) {
      release();
      throw err;
    }
  }

  private request(agent: https.Agent, headers: Record<string, string>, spec: RequestSpec): Promise<IncomingMessage> {
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
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(staleReset(req, err) && !spec.signal.aborted ? new StaleConnection(err) : err),
      );
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

  /**
   * open(), then for anything but 2xx read the first `errorBodyBytes` and throw its ClusterError
   * (as sendOk does); a 2xx answer is handed back unread, for streams (a followed log).
   */
  async openOk(spec: RequestSpec): Promise<IncomingMessage> {
    const res = await this.open(spec);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    const { body, length } = await readPrefix(res, this.limits.errorBodyBytes);
    const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined;
    throw errorFromResponse(status, body.toString('utf8'), { contentType, length });
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
    void this.prepared.then(
      ({ agent }) => agent.destroy(),
      () => undefined,
    );
    this.streamAgent?.destroy();
  }
}

/** A counting semaphore whose waiters leave when their signal aborts. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', leave);
        resolve(release);
      };
      const leave = () => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', leave, { once: true });
    });
  }
}

type CreateConnection = (
  this: https.Agent,
  opts: tls.ConnectionOptions,
  callback: (err: Error | null, socket?: Duplex) => void,
) => undefined;

/** A reset on a reused keep-alive socket before any answer: the server had closed it. */
class StaleConnection extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

const staleReset = (req: ClientRequest, err: NodeJS.ErrnoException) =>
  req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
