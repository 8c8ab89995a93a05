import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { type Connector, OutboundPolicy, type OutboundPolicyOptions } from '../../../src/net/outbound-policy.js';

/**
 * A Connector that records every resolution and every dial, answers names from a fixed table
 * (never the real DNS) and opens only loopback sockets: a dial anywhere else is recorded and
 * fails, so a test can prove that a refused target was never dialled without sending a packet.
 */
export class RecordingConnector implements Connector {
  readonly resolved: string[] = [];
  readonly dialled: string[] = [];
  /** Answers per name; a function answers differently per call (DNS rebinding). */
  constructor(private readonly names: Record<string, string[] | ((call: number) => string[])> = {}) {}

  async resolve(host: string) {
    this.resolved.push(host);
    const entry = this.names[host];
    const calls = this.resolved.filter((h) => h === host).length;
    const answers = typeof entry === 'function' ? entry(calls) : (entry ?? []);
    if (answers.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  }

  connect(options: tls.ConnectionOptions & { host: string; port: number }): Duplex {
    this.dialled.push(`${options.host}:${options.port}`);
    if (options.host !== '127.0.0.1' && options.host !== '::1') {
      throw new Error(`test connector: refusing to dial non-loopback ${options.host}`);
    }
    return tls.connect(options);
  }
}

/** A policy dialling through a fresh RecordingConnector. */
export function recordingPolicy(
  options: Omit<OutboundPolicyOptions, 'connector'> & { names?: ConstructorParameters<typeof RecordingConnector>[0] },
) {
  const connector = new RecordingConnector(options.names);
  const policy = new OutboundPolicy({ ...options, connector });
  return { policy, connector };
}
