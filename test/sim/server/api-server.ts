/**
 * The simulated kube-apiserver: HTTPS on loopback, bearer-token authentication, optional
 * per-request latency, then discovery / health / metrics / resources / watch / upgrades.
 * The `apiserver-unreachable` fault closes the listener (connections refused) and reopens
 * it on the same port when the fault is lifted; `token-invalid` makes every request 401.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Latencies } from '../contracts.js';
import { notFound, pathNotFound, unauthorized } from '../store/errors.js';
import { findResource, groupResource } from '../store/resources.js';
import { Authorizer, attributesOf } from './authz.js';
import { ensureBootstrapPolicy } from './bootstrap-policy.js';
import type { ApiContext } from './context.js';
import { type ControlApi, controlPrefix, serveControl } from './control.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { isPublicPath, serveHealth } from './health.js';
import { sendError, sendJson, sendText } from './http-util.js';
import { serveOpenApi } from './openapi.js';
import { RbacAuthorizer, type UserInfo } from './rbac.js';
import { type RequestInfo, requestInfo } from './request-info.js';
import { serveResource } from './rest.js';
import { serveSubresource } from './subresources.js';
import { TokenIssuer } from './tokens.js';
import { rejectUpgrade, serveUpgrade } from './upgrade.js';
import { type VersionInfo, versionInfo, websocketNeedsCreate } from './version.js';
import { serveWatch } from './watch.js';

export interface ApiServerOptions extends Omit<ApiContext, 'user' | 'authorizer' | 'tokens' | 'version'> {
  /** The admin token's user name; it is in system:masters, as kubeadm's super-admin is. */
  user: string;
  token: string;
  /** The /version the server answers and authorizes like (default v1.32.4). */
  version?: VersionInfo;
  tls: { certPem: string; keyPem: string };
  latencies(): Latencies;
  control: ControlApi;
  /** Extra Prometheus text appended to `/metrics` (the storage part's transformation counters). */
  metricsExtra?: () => string;
  host?: string;
}

export function bearerTokenMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export class ApiServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private readonly host: string;
  private unsubscribe: (() => void) | undefined;
  private transition: Promise<void> = Promise.resolve();
  private readonly ctx: Omit<ApiContext, 'user'>;
  private readonly admin: UserInfo;

  constructor(private readonly options: ApiServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    // What the rbac/bootstrap-roles post-start hook writes before the server reports ready.
    ensureBootstrapPolicy(options.store);
    this.ctx = {
      ...options,
      authorizer: new Authorizer(options.faults, new RbacAuthorizer(options.store)),
      tokens: new TokenIssuer(options.store),
      version: options.version ?? versionInfo(),
    };
    this.admin = { username: options.user, groups: ['system:masters', 'system:authenticated'] };
  }

  get listeningPort(): number {
    return this.port;
  }

  /** Starts listening (port 0 picks a free one) and follows the apiserver-unreachable fault. */
  async start(port = 0): Promise<number> {
    this.port = port;
    if (!this.options.faults.has('apiserver-unreachable')) await this.open();
    else if (port === 0) {
      // A port must exist for the kubeconfig even while unreachable: take one, then let go.
      await this.open();
      await this.shut();
    }
    this.unsubscribe = this.options.faults.onChange(() => {
      const want = !this.options.faults.has('apiserver-unreachable');
      this.transition = this.transition.then(() => (want ? this.open() : this.shut())).catch(() => undefined);
    });
    return this.port;
  }

  /** Resolves once any listener change triggered by a fault toggle has happened. */
  settled(): Promise<void> {
    return this.transition;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.transition;
    await this.shut();
  }

  private open(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer({ cert: this.options.tls.certPem, key: this.options.tls.keyPem });
    // Go's net/http (kube-apiserver) keeps idle keep-alive connections far longer than Node's 5 s
    // default (its secure serving sets an idle timeout of about 90 s, unconfirmed); Node's short
    // default closes sockets a client is about to reuse when the machine is busy (ECONNRESET).
    server.keepAliveTimeout = 90_000;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // Handshakes, and resumed TLS sessions, for the benchmark's accounting.
    server.on('secureConnection', (s: TLSSocket) => this.options.accounting.tlsConnection(s.isSessionReused()));
    server.on('request', (req, res) => void this.handle(req, res));
    server.on(
      'upgrade',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head),
    );
    server.on('tlsClientError', () => {});
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private shut(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = undefined;
    return new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  /**
   * The bearer token's user: the admin token, or a ServiceAccount token this server issued and
   * still honours; undefined → 401. `token-invalid` refuses every token.
   */
  private authenticate(req: IncomingMessage): UserInfo | undefined {
    if (this.options.faults.has('token-invalid')) return undefined;
    if (bearerTokenMatches(req, this.options.token)) return this.admin;
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return m ? this.ctx.tokens.authenticate(m[1]!.trim()) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const info = requestInfo(req);
    let code = 200;
    try {
      await delay(this.options.latencies().apiLatencyMs);
      const anonymousOk =
        isPublicPath(info.path) && !req.headers.authorization && !this.options.faults.has('token-invalid');
      // The control endpoint is not part of the simulated cluster: token-invalid must not lock it.
      const isControl = info.path.startsWith(controlPrefix);
      if (isControl) {
        if (!bearerTokenMatches(req, this.options.token)) throw unauthorized();
        await serveControl(req, res, info.path, this.options.control);
        code = res.statusCode;
      } else {
        const user = anonymousOk ? undefined : this.authenticate(req);
        if (!anonymousOk && !user) throw unauthorized();
        code = await this.route(req, res, info, user);
      }
    } catch (err) {
      code = sendError(res, err);
    }
    this.options.accounting.record(info, code, req.url);
  }

  /** `user` is undefined only for an anonymous read of a public path (system:public-info-viewer). */
  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    info: RequestInfo,
    user: UserInfo | undefined,
  ): Promise<number> {
    // RBAC applies to non-resource URLs too (`rbac-missing:get:/metrics`, system:discovery).
    if (!info.isResourceRequest && user) this.ctx.authorizer.check(attributesOf(info, user));
    if (serveHealth(res, info.path, info.query, this.ctx.version)) return 200;
    if (info.path === '/metrics') {
      sendText(
        res,
        200,
        this.options.accounting.metricsText() + (this.options.metricsExtra?.() ?? ''),
        'text/plain; version=0.0.4; charset=utf-8',
      );
      return 200;
    }
    if (serveOpenApi(req, res, info.path)) return res.statusCode;
    if (!info.isResourceRequest) return this.discovery(res, info);
    if (!user) throw unauthorized();
    await this.resource(req, res, info, user);
    return res.statusCode;
  }

  private discovery(res: ServerResponse, info: RequestInfo): number {
    const p = info.path.replace(/\/$/, '');
    let body: unknown;
    if (p === '/api') body = apiVersions(`${this.host}:${this.port}`);
    else if (p === '/apis') body = apiGroupList();
    else if (p.startsWith('/api/')) body = apiResourceList('', info.version);
    else if (p.startsWith('/apis/') && info.version) body = apiResourceList(info.group, info.version);
    else if (p.startsWith('/apis/')) body = apiGroup(p.slice('/apis/'.length));
    if (!body) throw pathNotFound();
    sendJson(res, 200, body);
    return 200;
  }

  private resolve(info: RequestInfo, user: UserInfo) {
    const def = findResource(info.group, info.version, info.resource);
    if (!def) throw pathNotFound();
    if (!def.namespaced && info.namespace && info.resource !== 'namespaces') throw pathNotFound();
    if (def.namespaced && !info.namespace && !['list', 'watch', 'deletecollection'].includes(info.verb))
      throw pathNotFound();
    if (info.subresource && !def.subresources.some((s) => s.name === info.subresource))
      throw notFound(groupResource(def), info.name);
    this.ctx.authorizer.check(attributesOf(info, user));
    return def;
  }

  private async resource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: UserInfo): Promise<void> {
    const def = this.resolve(info, user);
    const ctx: ApiContext = { ...this.ctx, user };
    if (info.verb === 'watch') return serveWatch(req, res, ctx, def, info);
    if (info.subresource) return serveSubresource(req, res, ctx, def, info);
    return serveResource(req, res, ctx, def, info);
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const info = requestInfo(req);
    let code = 101;
    socket.on('error', () => {});
    try {
      await delay(this.options.latencies().apiLatencyMs);
      const user = this.authenticate(req);
      if (!user) throw unauthorized();
      if (!info.isResourceRequest || !['exec', 'attach', 'portforward'].includes(info.subresource))
        throw pathNotFound();
      // Authorized by method first (WebSocket GET → get, SPDY POST → create), then, from v1.35,
      // a WebSocket upgrade must also be allowed to `create` (version.ts: websocketNeedsCreate).
      this.resolve(info, user);
      const websocket = /websocket/i.test(req.headers.upgrade ?? '');
      if (websocket && info.verb !== 'create' && websocketNeedsCreate(this.ctx.version))
        this.ctx.authorizer.check(attributesOf(info, user, 'create'));
      serveUpgrade(req, socket, head, { ...this.ctx, user }, info);
    } catch (err) {
      code = rejectUpgrade(socket, err);
    }
    this.options.accounting.record(info, code, req.url);
  }
}
