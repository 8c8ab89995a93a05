/**
 * busybox wget (HTTP only), with the exact messages busybox 1.35/1.36 prints on each failure:
 * bad address, connection refused/timed out, `download timed out` (-T), `server returned error`.
 */
import path from 'node:path';
import { KERNEL_CONNECT_TIMEOUT_MS, waitTimeout } from '../../network/timing.js';
import { exchange } from '../http/client.js';
import type { ProcessEnv, Program } from '../types.js';
import { getopt } from './getopt.js';
import { resolveHost } from './resolver.js';

const LONG_OPTIONS: Record<string, string> = {
  quiet: 'q',
  'output-document': 'O',
  timeout: 'T',
  'server-response': 'S',
  'user-agent': 'U',
  header: 'H',
  spider: 's',
};

interface Target {
  host: string;
  port: number;
  path: string;
}

// An IPv6 literal is written in brackets (`http://[fd00::5]:8080/`). Unbracketed, an authority with
// more than one ':' is taken whole as the host (libbb str2sockaddr), so `http://::1:8080/` fails
// with `bad address '::1:8080'` (recorded: test/fixtures/busybox-1.35-ipv6/wget-ipv6-nobrackets.*).
function parseUrl(url: string): Target | undefined {
  const match = /^(?:http:\/\/)?([^/?#]*)([/?][^#]*)?/.exec(url);
  if (!match || /^[a-z]+:\/\//i.test(url.replace(/^http:\/\//, ''))) return undefined;
  const authority = match[1]!;
  const path = match[2] || '/';
  let host = authority;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return undefined;
    host = authority.slice(1, close);
    const rest = authority.slice(close + 1);
    if (rest && !/^:\d+$/.test(rest)) return undefined;
    portText = rest.slice(1) || undefined;
  } else if (authority.split(':').length === 2) {
    [host = '', portText] = authority.split(':');
  }
  if (!host || (portText !== undefined && !/^\d+$/.test(portText))) return undefined;
  return { host, port: Number(portText ?? 80), path };
}

/** busybox names the address only for IPv4 (libbb xconnect: inet_ntoa); IPv6 gets none. */
const remote = (ip: string) => (ip.includes(':') ? '' : ` (${ip})`);

function fail(proc: ProcessEnv, message: string): number {
  proc.io.stderr(`wget: ${message}\n`);
  return 1;
}

export const wget: Program = async (proc) => {
  const { io, ctx } = proc;
  const opts = getopt(proc.argv.slice(1), 'cqO:o:P:SsT:U:Y:H:', LONG_OPTIONS);
  const url = opts.operands[0];
  if (opts.unknown || url === undefined) {
    io.stderr(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n',
    );
    return 1;
  }
  const target = parseUrl(url);
  if (!target) return fail(proc, `not an http or ftp url: ${url}`);
  const quiet = opts.flags.has('q');
  const timeoutSeconds = opts.values.has('T') ? Number(opts.values.get('T')) : undefined;

  const ip = await resolveHost(proc, target.host);
  if (!ip) return fail(proc, `bad address '${target.host}'`);
  if (!quiet) io.stderr(`Connecting to ${target.host} (${ip}:${target.port})\n`);

  const connection = await ctx.network.connectTcp(ip, target.port);
  if (connection.kind === 'refused') return fail(proc, `can't connect to remote host${remote(ip)}: Connection refused`);
  if (connection.kind === 'dropped') {
    if (timeoutSeconds !== undefined && timeoutSeconds * 1000 < KERNEL_CONNECT_TIMEOUT_MS) {
      await waitTimeout(ctx.timing, timeoutSeconds * 1000, proc.signal);
      return fail(proc, 'download timed out');
    }
    await waitTimeout(ctx.timing, KERNEL_CONNECT_TIMEOUT_MS, proc.signal);
    return fail(proc, `can't connect to remote host${remote(ip)}: Connection timed out`);
  }

  const hostText = target.host.includes(':') ? `[${target.host}]` : target.host;
  const hostHeader = target.port === 80 ? hostText : `${hostText}:${target.port}`;
  const method = opts.flags.has('s') ? 'HEAD' : 'GET';
  const request = `${method} ${target.path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ${opts.values.get('U') ?? 'Wget'}\r\nConnection: close\r\n\r\n`;
  const deadline =
    timeoutSeconds === undefined
      ? proc.signal
      : AbortSignal.any([proc.signal, AbortSignal.timeout(timeoutSeconds * 1000 * ctx.timing.timeoutScale + 1000)]);
  const response = await exchange(connection.socket, request, deadline);
  if (!response)
    return fail(
      proc,
      timeoutSeconds !== undefined ? 'download timed out' : 'error getting response: Connection reset by peer',
    );

  if (opts.flags.has('S')) io.stderr([response.statusLine, ...response.headerLines].map((l) => `  ${l}\n`).join(''));
  if (response.status < 200 || response.status >= 300)
    return fail(proc, `server returned error: ${response.statusLine}`);
  if (opts.flags.has('s')) return 0;

  const output = opts.values.get('O') ?? (path.posix.basename(target.path.split('?')[0]!) || 'index.html');
  if (output === '-') {
    if (!quiet) io.stderr('writing to stdout\n');
    io.stdout(response.body);
    if (!quiet) io.stderr(`${progressLine('-', response.body.length)}written to stdout\n`);
    return 0;
  }
  if (!quiet) io.stderr(`saving to '${output}'\n`);
  if (output !== '/dev/null') ctx.files.set(output.startsWith('/') ? output : `/${output}`, response.body.toString());
  if (!quiet) io.stderr(`${progressLine(output, response.body.length)}'${output}' saved\n`);
  return 0;
};

/** busybox's final progress-meter line (bar drawn full, as when the download completed). */
function progressLine(name: string, bytes: number): string {
  return `${name.slice(0, 20).padEnd(20)} 100% |${'*'.repeat(31)}| ${String(bytes).padStart(5)}  0:00:00 ETA\n`;
}
