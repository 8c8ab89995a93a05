/**
 * The outbound policy: every address kubeproof dials on a user's behalf (the API server, its
 * WebSocket streams, etcd endpoints, webhook URLs) is checked here, and the connection goes to
 * exactly the address that was checked.
 *
 * - `KUBEPROOF_ALLOWED_TARGETS` set: only targets matching one of its rules (CIDRs and host
 *   patterns, each with an optional `:port`) are dialled.
 * - Unset: link-local and cloud metadata, unspecified, multicast, broadcast and reserved
 *   addresses are refused, loopback too unless the service itself listens on loopback; private
 *   ranges are allowed (on-prem clusters live there).
 *
 * Host names are resolved by the policy's own resolver and every answer is checked; the socket is
 * then opened to the checked address (no second lookup, so no DNS-rebinding window). The WHATWG
 * URL parser has already turned decimal, short, hex and octal IPv4 forms into dotted quads;
 * IPv6 forms carrying an IPv4 address are checked as that address too (see ip.ts).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { commaList } from '../kernel/text.js';
import {
  type AddressClass,
  type Cidr,
  classesOf,
  embeddedIpv4,
  formatIp,
  type IpAddress,
  inCidr,
  parseCidr,
  parseIp,
} from './ip.js';

/** The variable an operator sets to change what may be dialled; named in every refusal. */
export const ALLOWED_TARGETS_VARIABLE = 'KUBEPROOF_ALLOWED_TARGETS';

/** Never dialled, whatever the allow-list says: no real target lives there. */
const NEVER: ReadonlySet<AddressClass> = new Set(['unspecified', 'multicast', 'broadcast', 'reserved']);
/** Refused by the default policy (and, for metadata, unless a rule names the exact address). */
const DEFAULT_REFUSED: ReadonlySet<AddressClass> = new Set([...NEVER, 'metadata', 'link-local']);

const CLASS_LABEL: Record<AddressClass, string> = {
  metadata: 'a cloud metadata address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  loopback: 'a loopback address',
  private: 'a private address',
  public: 'a public address',
};

export type TargetRule =
  | { kind: 'cidr'; cidr: Cidr; port?: number; text: string }
  | { kind: 'host'; pattern: string; port?: number; text: string };

/** One answer of the resolver. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * How the policy reaches the network; tests inject one that records every call and never
 * touches a socket outside loopback.
 */
export interface Connector {
  /** All addresses of a host name (default: `dns.lookup` with `all: true`). */
  resolve(host: string): Promise<ResolvedAddress[]>;
  /** Opens a TLS connection to an address the policy has checked (default: `tls.connect`). */
  connect(options: tls.ConnectionOptions & { host: string; port: number }): Duplex;
  /**
   * Opens a plain TCP connection to a checked address (default: `net.connect`), for the http://
   * webhook receivers an operator allows. A connector without it never opens one.
   */
  connectPlain?(options: { host: string; port: number }): Duplex;
}

export const systemConnector: Connector = {
  async resolve(host) {
    const answers = await dnsLookup(host, { all: true, verbatim: true });
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  },
  connect: (options) => tls.connect(options),
  connectPlain: (options) => net.connect(options),
};

/** A target the policy refuses. `field` is filled in by the caller that knows where it came from. */
export class OutboundRefusal extends Error {
  override readonly name = 'OutboundRefusal';
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`${target} is refused by kubeproof's outbound policy: ${reason}`);
  }
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * One rule of KUBEPROOF_ALLOWED_TARGETS: `10.0.0.0/8`, `10.0.0.5:6443`, `[fd00::/8]:6443`,
 * `fd00::/8`, `api.example.com`, `*.corp.example:6443`. Throws a readable message for a bad one.
 */
export function parseTargetRule(raw: string): TargetRule {
  const text = raw.trim();
  let body = text;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    body = bracketed[1]!;
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2]);
    if (bracketed[2] !== undefined && port === undefined) throw new Error(`"${text}": the port must be 1-65535`);
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const at = text.lastIndexOf(':');
    body = text.slice(0, at);
    port = parsePort(text.slice(at + 1));
    if (port === undefined) throw new Error(`"${text}": the port must be 1-65535`);
  }
  const cidr = parseCidr(body);
  if (cidr) return { kind: 'cidr', cidr, text, ...(port ? { port } : {}) };
  if (body.includes('/') || body.includes(':') || /^[\d.]+$/.test(body))
    throw new Error(`"${text}" is neither a CIDR (10.0.0.0/8, fd00::/8) nor a host pattern (*.example.com)`);
  const pattern = body.toLowerCase().replace(/\.$/, '');
  if (!/^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/.test(pattern))
    throw new Error(`"${text}" is not a host pattern: letters, digits, "-" and ".", optionally starting with "*."`);
  return { kind: 'host', pattern, text, ...(port ? { port } : {}) };
}

/** KUBEPROOF_ALLOWED_TARGETS as rules; undefined when unset or empty (the default policy). */
export function parseAllowedTargets(raw: string | undefined): TargetRule[] | undefined {
  const parts = commaList(raw ?? '');
  return parts.length === 0 ? undefined : parts.map(parseTargetRule);
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

export interface OutboundPolicyOptions {
  /** Parsed KUBEPROOF_ALLOWED_TARGETS; undefined for the default policy. */
  allowed?: readonly TargetRule[];
  /** Whether loopback targets are allowed by the default policy (the service listens on loopback). */
  allowLoopback: boolean;
  connector?: Connector;
}

/** A URL's host and port as the policy sees them (brackets removed, default port filled in). */
export interface Target {
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'wss:': 443, 'http:': 80, 'ws:': 80 };

/** Host (lower case, no brackets, no trailing dot) and port of a parsed URL. */
export function targetOf(url: URL): Target {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return { host, port: url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 443) };
}

export class OutboundPolicy {
  readonly connector: Connector;
  constructor(private readonly options: OutboundPolicyOptions) {
    this.connector = options.connector ?? systemConnector;
  }

  /** One line for refusals and the README: what this policy lets through. */
  describe(): string {
    if (this.options.allowed)
      return `only ${this.options.allowed.map((r) => r.text).join(', ')} (${ALLOWED_TARGETS_VARIABLE})`;
    return `the default policy: private and public addresses${this.options.allowLoopback ? ' and loopback' : ''}; never link-local, cloud metadata, unspecified, multicast or broadcast`;
  }

  /** Why an address may not be dialled for `target`, or undefined when it may. `byName`: the host name matched a rule. */
  private refuseAddress(ip: IpAddress, port: number, byName: boolean): string | undefined {
    const classes = classesOf(ip);
    const inner = embeddedIpv4(ip);
    const shown = inner ? `${formatIp(ip)} (IPv4 ${formatIp(inner)})` : formatIp(ip);
    const never = classes.find((c) => NEVER.has(c));
    if (never) return `${shown} is ${CLASS_LABEL[never]}`;
    const allowed = this.options.allowed;
    if (!allowed) {
      const refused = classes.find((c) => DEFAULT_REFUSED.has(c));
      if (refused) return `${shown} is ${CLASS_LABEL[refused]}`;
      if (classes.includes('loopback') && !this.options.allowLoopback)
        return `${shown} is a loopback address and kubeproof does not listen on loopback`;
      return undefined;
    }
    // With an allow-list, metadata stays refused unless a rule names that very address.
    const exact = (r: TargetRule) => r.kind === 'cidr' && r.cidr.prefix === (ip.family === 4 ? 32 : 128);
    const matching = allowed.filter(
      (r) => r.kind === 'cidr' && inCidr(ip, r.cidr) && (r.port === undefined || r.port === port),
    );
    if (classes.includes('metadata') && !matching.some(exact)) return `${shown} is a cloud metadata address`;
    if (matching.length > 0) return undefined;
    if (byName && !classes.some((c) => c === 'link-local' || c === 'metadata' || c === 'loopback')) return undefined;
    return `${shown}${port ? `:${port}` : ''} matches no rule of ${ALLOWED_TARGETS_VARIABLE}`;
  }

  /** Whether a host name (not an address) is allowed by a host-pattern rule. */
  private nameAllowed(host: string, port: number): boolean {
    return (this.options.allowed ?? []).some(
      (r) => r.kind === 'host' && hostMatches(r.pattern, host) && (r.port === undefined || r.port === port),
    );
  }

  /**
   * Resolves the target (an address is itself) and checks every answer; resolves with the one to
   * dial. Throws OutboundRefusal naming the reason. Every answer must pass, so a resolver that
   * mixes a public address with 169.254.169.254 is refused rather than raced.
   */
  async resolveChecked(target: Target): Promise<ResolvedAddress> {
    const shown = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
    const literal = parseIp(target.host);
    if (literal) {
      const why = this.refuseAddress(literal, target.port, false);
      if (why) throw new OutboundRefusal(shown, why);
      return { address: formatIp(literal), family: literal.family };
    }
    const host = target.host.toLowerCase();
    const byName = this.nameAllowed(host, target.port);
    if (this.options.allowed && !byName && !this.options.allowed.some((r) => r.kind === 'cidr')) {
      throw new OutboundRefusal(shown, `the host matches no rule of ${ALLOWED_TARGETS_VARIABLE}`);
    }
    const answers = await this.connector.resolve(host);
    if (answers.length === 0) throw new OutboundRefusal(shown, 'the name has no address');
    for (const answer of answers) {
      const ip = parseIp(answer.address);
      if (!ip) throw new OutboundRefusal(shown, 'the resolver answered something that is not an address');
      const why = this.refuseAddress(ip, target.port, byName);
      if (why) throw new OutboundRefusal(shown, `it resolves to ${why}`);
    }
    return answers[0]!;
  }

  /**
   * Intake: may this URL be dialled? Only `schemes` are accepted. A name whose resolution
   * fails is let through (the run will report it unreachable; the dial checks again).
   */
  async admit(raw: string, schemes: readonly string[] = ['https:']): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRefusal(raw.slice(0, 200), 'not a valid URL');
    }
    if (!schemes.includes(url.protocol))
      throw new OutboundRefusal(url.origin, `only ${schemes.map((s) => `${s}//`).join(', ')} URLs are dialled`);
    try {
      await this.resolveChecked(targetOf(url));
    } catch (err) {
      if (err instanceof OutboundRefusal) throw err;
      // DNS failure: nothing to check, nothing will be dialled either.
    }
  }

  /** Resolves and checks the target, then `open`s a socket to the checked address; errors go to `callback`. */
  private checkedDial(
    options: { host?: string; port?: number | string },
    defaultPort: number,
    open: (address: string, target: Target) => Duplex,
    callback: DialCallback,
  ): void {
    const target = {
      host: String(options.host ?? 'localhost').replace(/^\[|\]$/g, ''),
      port: Number(options.port ?? defaultPort),
    };
    this.resolveChecked(target).then(
      (resolved) => {
        try {
          callback(null, open(resolved.address, target));
        } catch (err) {
          callback(err as Error);
        }
      },
      (err: unknown) => callback(err as Error),
    );
  }

  /**
   * Opens a checked TLS connection (the createConnection of an https.Agent): resolves, checks,
   * then connects to that address, verifying the certificate against the original name.
   */
  dial(options: tls.ConnectionOptions & { host?: string; port?: number | string }, callback: DialCallback): void {
    this.checkedDial(
      options,
      443,
      (address, target) => {
        const name = parseIp(target.host) ? undefined : target.host;
        const servername = options.servername || name;
        return this.connector.connect({
          ...options,
          host: address,
          port: target.port,
          ...(servername ? { servername } : {}),
          // The certificate names the host the user gave, not the address we connect to.
          checkServerIdentity: (_host, cert) =>
            (options.checkServerIdentity ?? tls.checkServerIdentity)(servername ?? target.host, cert),
        });
      },
      callback,
    );
  }

  /**
   * Opens a checked plain TCP connection (the createConnection of an http.Agent), for the http://
   * webhook receivers an operator allows; whether plain http may be used at all is the caller's rule.
   */
  dialPlain(options: { host?: string; port?: number | string }, callback: DialCallback): void {
    this.checkedDial(
      options,
      80,
      (address, target) => {
        if (!this.connector.connectPlain) throw new Error('this connector opens TLS connections only');
        return this.connector.connectPlain({ host: address, port: target.port });
      },
      callback,
    );
  }

  /**
   * An https.Agent whose every connection goes through dial(). It resumes the TLS session of its
   * last connection to the same target (what Node's own createConnection does, which this one
   * replaces): a new connection to an API server then skips the full handshake.
   */
  agent(options: https.AgentOptions = {}): https.Agent {
    const sessions = new Map<string, Buffer>();
    return routedThrough(new https.Agent(options), (opts, callback) => {
      const key = `${opts.host}:${opts.port}:${opts.servername ?? ''}`;
      const session = sessions.get(key);
      this.dial(session ? { ...opts, session } : opts, (err, socket) => {
        socket?.on('session', (s: Buffer) => {
          // Bounded: one agent serves one run's few targets.
          if (!sessions.has(key) && sessions.size >= 16) sessions.clear();
          sessions.set(key, s);
        });
        callback(err, socket);
      });
    });
  }

  /** An http.Agent whose every connection goes through dialPlain(). */
  plainAgent(options: http.AgentOptions = {}): http.Agent {
    return routedThrough(new http.Agent(options), (opts, callback) => this.dialPlain(opts, callback));
  }
}

type DialCallback = (err: Error | null, socket?: Duplex) => void;

/** The agent with its createConnection replaced by `dial` (Node's Agent accepts an asynchronous one through its callback). */
function routedThrough<A extends http.Agent>(
  agent: A,
  dial: (opts: tls.ConnectionOptions & { host?: string; port?: number }, callback: DialCallback) => void,
): A {
  (agent as unknown as { createConnection: unknown }).createConnection = (
    opts: tls.ConnectionOptions & { host?: string; port?: number },
    callback: DialCallback,
  ) => {
    dial(opts, callback);
    return undefined;
  };
  return agent;
}

/**
 * The policy of the out-of-the-box set-up, where the service listens on loopback: the default
 * rules with loopback allowed. What callers get when they pass none (the suite executor and
 * cluster access in tests and the demo); the server always passes the configured policy.
 */
export function developerPolicy(): OutboundPolicy {
  return new OutboundPolicy({ allowLoopback: true });
}

/** The default rules without loopback: for dialers that were handed no policy at all. */
export function strictPolicy(): OutboundPolicy {
  return new OutboundPolicy({ allowLoopback: false });
}
