/**
 * busybox nslookup (≥ 1.29, the applet that sends its own A and AAAA queries). Output follows
 * the recordings in test/fixtures/busybox-1.35: a server block, then one block per reply,
 * `** server can't find NAME: NXDOMAIN` per failed query, and `;; connection timed out; no
 * servers could be reached` when no reply came.
 */

import { isIPv6 } from 'node:net';
import { RESOLVER_TIMEOUT_MS, waitTimeout } from '../../network/timing.js';
import type { DnsQuestion, DnsReply, ProcessEnv, Program } from '../types.js';
import { isIPv4, parseResolvConf } from './resolver.js';

interface Server {
  /** As the user wrote it (printed on `Server:` and in errors). */
  name: string;
  ip: string;
  port: number;
}

function parseArgs(proc: ProcessEnv): { name?: string; server?: Server; types: Array<'A' | 'AAAA'> } {
  let port = 53;
  let types: Array<'A' | 'AAAA'> = ['A', 'AAAA'];
  const operands: string[] = [];
  for (const arg of proc.argv.slice(1)) {
    const option = /^-(\w+)(?:=(.*))?$/.exec(arg);
    if (!option) {
      operands.push(arg);
      continue;
    }
    const [, key, value = ''] = option;
    if (key === 'port') port = Number(value);
    if (key === 'type' || key === 'querytype' || key === 'q') {
      const upper = value.toUpperCase();
      if (upper === 'A' || upper === 'AAAA') types = [upper];
    }
  }
  const [name, serverArg] = operands;
  const conf = parseResolvConf(proc.ctx.files.get('/etc/resolv.conf'));
  const serverText = serverArg ?? conf.nameservers[0]!;
  // An IPv6 server is written bare (resolv.conf) or `[addr]:port`; IPv4 as `addr[:port]`.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(serverText);
  const [host = serverText, portText] = bracketed
    ? [bracketed[1], bracketed[2]]
    : isIPv6(serverText)
      ? [serverText, undefined]
      : serverText.split(':');
  const server = { name: host, ip: host, port: portText ? Number(portText) : port };
  return { ...(name === undefined ? {} : { name }), server, types };
}

/** Undotted names get the resolv.conf search domains (one query per domain); dotted ones are sent as is. */
function questions(proc: ProcessEnv, name: string, types: Array<'A' | 'AAAA'>): DnsQuestion[] {
  const search = parseResolvConf(proc.ctx.files.get('/etc/resolv.conf')).search;
  const names = name.includes('.') || search.length === 0 ? [name] : search.map((d) => `${name}.${d}`);
  return types.flatMap((type) => names.map((n) => ({ name: n, type })));
}

function replyBlock(question: DnsQuestion, reply: DnsReply): string {
  if (reply.rcode !== 'NOERROR') return `** server can't find ${question.name}: ${reply.rcode}\n\n`;
  let text = reply.authoritative ? '' : 'Non-authoritative answer:\n';
  for (const answer of reply.answers) text += `Name:\t${answer.name}\nAddress: ${answer.address}\n`;
  return `${text}\n`;
}

export const nslookup: Program = async (proc) => {
  const { io, ctx } = proc;
  const { name, server, types } = parseArgs(proc);
  if (name === undefined || !server) {
    io.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n',
    );
    return 1;
  }
  if (!isIPv4(server.ip) && !isIPv6(server.ip)) {
    io.stderr(`nslookup: bad address '${server.name}'\n`);
    return 1;
  }
  const noServers = () => {
    io.stdout(';; connection timed out; no servers could be reached\n\n');
    return 1;
  };
  const asked = questions(proc, name, types);
  const outcomes = await Promise.all(asked.map((q) => ctx.network.queryDns(server.ip, server.port, q)));

  // busybox connects a UDP socket and writes every query before reading: on loopback the
  // ICMP error is back before the second write, elsewhere the read reports it.
  if (outcomes.some((o) => o.kind === 'refused')) {
    const local = server.ip.startsWith('127.');
    io.stderr(
      local ? `nslookup: write to '${server.name}': Connection refused\n` : 'nslookup: read: Connection refused\n',
    );
    if (!local) await waitTimeout(ctx.timing, RESOLVER_TIMEOUT_MS, proc.signal);
    return noServers();
  }
  if (outcomes.every((o) => o.kind === 'dropped')) {
    await waitTimeout(ctx.timing, RESOLVER_TIMEOUT_MS, proc.signal);
    return noServers();
  }
  if (outcomes.some((o) => o.kind === 'dropped')) await waitTimeout(ctx.timing, RESOLVER_TIMEOUT_MS, proc.signal);
  // busybox prints the server with xmalloc_sockaddr2dotted: an IPv6 one as `[addr]:port`.
  const address = server.ip.includes(':') ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`;
  let text = `Server:\t\t${server.name}\nAddress:\t${address}\n\n`;
  let status = 0;
  asked.forEach((question, i) => {
    const outcome = outcomes[i]!;
    if (outcome.kind !== 'reply') return;
    if (outcome.reply.rcode !== 'NOERROR') status = 1;
    text += replyBlock(question, outcome.reply);
  });
  io.stdout(text);
  return status;
};
