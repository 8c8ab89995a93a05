/**
 * registry.k8s.io/e2e-test-images/agnhost: `netexec` (the smoke test's web server), plus
 * `serve-hostname` and `pause`. The image is built on busybox, so `kubectl exec` finds sh,
 * hostname, cat, env, ls, kill, wget, nslookup there too.
 */
import { BUSYBOX_APPLETS } from './applets/index.js';
import { nowNanos } from './clock.js';
import { exchange } from './http/client.js';
import { type HttpRequest, type HttpResponse, serveHttp } from './http/server.js';
import { goTimeString, klogLine } from './klog.js';
import { Shell } from './shell/interpreter.js';
import type { EmulatedImage, ProcessEnv, Program } from './types.js';

function flagValue(args: string[], name: string, fallback: string): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}` || arg === `-${name}`) return args[i + 1] ?? fallback;
    const prefix = [`--${name}=`, `-${name}=`].find((p) => arg.startsWith(p));
    if (prefix) return arg.slice(prefix.length);
  }
  return fallback;
}

const untilKilled = (signal: AbortSignal) =>
  new Promise<number>((resolve) => signal.addEventListener('abort', () => resolve(0), { once: true }));

const json = (value: unknown): HttpResponse => ({
  status: 200,
  body: JSON.stringify(value),
  contentType: 'application/json',
});

async function runShell(proc: ProcessEnv, command: string): Promise<{ output: string; code: number }> {
  const chunks: Buffer[] = [];
  const collect = (d: string | Buffer) => chunks.push(Buffer.from(d));
  const code = await new Shell(proc).runScript(command, {
    stdout: collect,
    stderr: collect,
    readStdin: async () => Buffer.alloc(0),
  });
  return { output: Buffer.concat(chunks).toString(), code };
}

/** netexec's /dial: asks another netexec (over the pod network) and reports what it answered. */
async function dial(proc: ProcessEnv, query: URLSearchParams): Promise<HttpResponse> {
  const tries = Number(query.get('tries') ?? 1);
  const responses: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < tries; i++) {
    const host = query.get('host') ?? '';
    const port = Number(query.get('port') ?? 0);
    const connection = await proc.ctx.network.connectTcp(host, port);
    if (connection.kind !== 'connected') {
      errors.push(
        `reading from ${host}:${port}: dial tcp ${host}:${port}: ${connection.kind === 'refused' ? 'connect: connection refused' : 'i/o timeout'}`,
      );
      continue;
    }
    const request = `GET /${query.get('request') ?? ''} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`;
    const response = await exchange(
      connection.socket,
      request,
      AbortSignal.any([proc.signal, AbortSignal.timeout(5000)]),
    );
    if (response) responses.push(response.body.toString());
    else errors.push(`reading from ${host}:${port}: EOF`);
  }
  return json(errors.length ? { responses, errors } : { responses });
}

/** netexec's flags (CmdNetexec.Flags() in test/images/agnhost/netexec/netexec.go). */
const NETEXEC_FLAGS = [
  'http-port',
  'udp-port',
  'sctp-port',
  'tls-cert-file',
  'tls-private-key-file',
  'http-override',
  'udp-listen-addresses',
];

/** cobra's answer to an unknown flag: the error and the usage, exit status 1 (a wrong command crash-loops). */
function unknownFlag(args: string[]): string | undefined {
  for (const arg of args) {
    if (!arg.startsWith('-')) continue;
    const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
    if (!NETEXEC_FLAGS.includes(name)) return arg.startsWith('--') ? `--${name}` : `-${name}`;
  }
  return undefined;
}

const netexec: Program = async (proc) => {
  const args = proc.argv.slice(2);
  const bad = unknownFlag(args);
  if (bad) {
    const shorthand = !bad.startsWith('--');
    proc.io.stderr(
      `Error: unknown ${shorthand ? 'shorthand flag' : 'flag'}: ${shorthand ? `'${bad.slice(1, 2)}' in ${bad}` : bad}\nUsage:\n  agnhost netexec [flags]\n\n`,
    );
    return 1;
  }
  const port = Number(flagValue(args, 'http-port', '8080'));
  const udpPort = Number(flagValue(args, 'udp-port', '8081'));
  const override = flagValue(args, 'http-override', '');
  const startedAt = nowNanos();
  const log = (message: string) => proc.io.stderr(klogLine(message));

  const handle = async (incoming: HttpRequest): Promise<HttpResponse> => {
    const request = override ? { ...incoming, ...parseTarget(override) } : incoming;
    const { path, query } = request;
    switch (path) {
      case '/':
        log('GET /');
        return { status: 200, body: `NOW: ${goTimeString(nowNanos(), startedAt)}` };
      case '/hostname':
        log('GET /hostname');
        log(`hostname: ${proc.ctx.hostname}`);
        return { status: 200, body: proc.ctx.hostname };
      case '/healthz':
        // healthzHandler: logs every call (the kubelet's probes too), 200 once the UDP server is up.
        log('GET /healthz');
        return { status: 200, body: '' };
      case '/clientip':
        log('GET /clientip');
        return { status: 200, body: `${request.remote.ip}:${request.remote.port}` };
      case '/header':
        return { status: 200, body: request.headers.get((query.get('key') ?? '').toLowerCase()) ?? '' };
      case '/echo': {
        const msg = query.get('msg') ?? '';
        const code = query.get('code') ?? '';
        log(`GET /echo?msg=${msg}&code=${code}`);
        return { status: Number(code || 200) || 200, body: msg };
      }
      case '/exit': {
        const code = Number(query.get('code') ?? 0);
        log(`GET /exit?code=${code}`);
        setImmediate(() => exitWith(code));
        return { status: 200, body: '' };
      }
      case '/shell': {
        const command = query.get('shellCommand') ?? query.get('cmd') ?? '';
        log(`GET /shell?shellCommand=${command}`);
        const { output, code } = await runShell(proc, command);
        return json(code === 0 ? { output } : { error: `exit status ${code}`, output });
      }
      case '/upload': {
        const name = `/uploads/${Date.now()}`;
        proc.ctx.files.set(name, request.body.toString());
        log('POST /upload');
        return json({ output: name });
      }
      case '/dial':
        log(`GET /dial?${query.toString()}`);
        return dial(proc, query);
      default:
        // Go's ServeMux sends every other path to the "/" pattern: rootHandler.
        log('GET /');
        return { status: 200, body: `NOW: ${goTimeString(nowNanos(), startedAt)}` };
    }
  };

  let exitWith: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    exitWith = resolve;
  });
  proc.listenTcp(port, (socket, remote) => serveHttp(socket, remote, handle));
  log(`Started HTTP server on port ${port}`);
  log(`Started UDP server on port ${udpPort}`);
  return Promise.race([exited, untilKilled(proc.signal)]);
};

function parseTarget(target: string): Pick<HttpRequest, 'path' | 'query' | 'target'> {
  const url = new URL(target, 'http://sim.invalid');
  return { path: url.pathname, query: url.searchParams, target };
}

const serveHostname: Program = async (proc) => {
  const port = Number(flagValue(proc.argv.slice(2), 'port', '9376'));
  proc.listenTcp(port, (socket, remote) => serveHttp(socket, remote, () => ({ status: 200, body: proc.ctx.hostname })));
  proc.io.stderr(klogLine(`Serving on port ${port}.`));
  return untilKilled(proc.signal);
};

const SUBCOMMANDS: Record<string, Program> = {
  netexec,
  'serve-hostname': serveHostname,
  pause: async (proc) => untilKilled(proc.signal),
};

const agnhost: Program = async (proc) => {
  const sub = proc.argv[1];
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!run) {
    proc.io.stderr(`Error: unknown command "${sub ?? ''}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
    return 1;
  }
  return run(proc);
};

export const agnhostImage: EmulatedImage = {
  id: 'agnhost',
  matches: (image) => /(^|\/)agnhost(:|@|$)/.test(image),
  entrypoint: ['/agnhost'],
  cmd: [],
  programs: new Map([...BUSYBOX_APPLETS, ['agnhost', agnhost]]),
  pid1Signals: 'go-runtime',
};
