/** Small busybox applets: hostname, sleep, cat, env, ls, echo, true, false, kill, ps, date, ... */
import { delay } from '../../network/timing.js';
import { parseSignal } from '../process-table.js';
import type { Program } from '../types.js';

const ROOT_DIRS = ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'];

export const hostname: Program = async ({ ctx, io }) => {
  io.stdout(`${ctx.hostname}\n`);
  return 0;
};

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

export const sleep: Program = async ({ argv, io, signal }) => {
  let totalSeconds = 0;
  for (const arg of argv.slice(1)) {
    if (arg === 'inf' || arg === 'infinity') totalSeconds = Number.POSITIVE_INFINITY;
    const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!match && !arg.startsWith('inf')) {
      io.stderr(`sleep: invalid number '${arg}'\n`);
      return 1;
    }
    if (match) totalSeconds += Number(match[1]) * DURATION_UNITS[match[2]!]!;
  }
  if (argv.length < 2) {
    io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n');
    return 1;
  }
  if (totalSeconds === Number.POSITIVE_INFINITY) {
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  }
  await delay(totalSeconds * 1000, signal);
  return 0;
};

export const cat: Program = async ({ argv, ctx, io }) => {
  const paths = argv.slice(1).filter((a) => a !== '-u');
  if (paths.length === 0) {
    io.stdout(await io.readStdin());
    return 0;
  }
  let status = 0;
  for (const path of paths) {
    if (path === '-') {
      io.stdout(await io.readStdin());
      continue;
    }
    const content = ctx.files.get(path);
    if (content === undefined) {
      const dir = path.replace(/\/+$/, '');
      const isDir = dir === '' || [...ctx.files.keys()].some((f) => f.startsWith(`${dir}/`));
      io.stderr(isDir ? 'cat: read error: Is a directory\n' : `cat: can't open '${path}': No such file or directory\n`);
      status = 1;
      continue;
    }
    io.stdout(content);
  }
  return status;
};

export const env: Program = async ({ ctx, io }) => {
  io.stdout(ctx.env.map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

export const ls: Program = async ({ argv, ctx, io }) => {
  const targets = argv.slice(1).filter((a) => !a.startsWith('-'));
  let status = 0;
  for (const target of targets.length ? targets : ['/']) {
    const dir = target.replace(/\/+$/, '');
    if (ctx.files.has(target)) {
      io.stdout(`${target}\n`);
      continue;
    }
    const children = new Set<string>(dir === '' ? ROOT_DIRS : []);
    for (const file of ctx.files.keys()) {
      if (file.startsWith(`${dir}/`)) children.add(file.slice(dir.length + 1).split('/')[0]!);
    }
    if (children.size === 0) {
      io.stderr(`ls: ${target}: No such file or directory\n`);
      status = 1;
      continue;
    }
    io.stdout(
      [...children]
        .sort()
        .map((c) => `${c}\n`)
        .join(''),
    );
  }
  return status;
};

export const echo: Program = async ({ argv, io }) => {
  const args = argv.slice(1);
  const noNewline = args[0] === '-n';
  io.stdout(args.slice(noNewline ? 1 : 0).join(' ') + (noNewline ? '' : '\n'));
  return 0;
};

export const trueProgram: Program = async () => 0;
export const falseProgram: Program = async () => 1;

export const kill: Program = async ({ argv, ctx, io }) => {
  let signal = parseSignal('TERM')!;
  const args = argv.slice(1);
  if (args[0] === '-l') {
    io.stdout(' 1) HUP\n 2) INT\n 3) QUIT\n 9) KILL\n10) USR1\n12) USR2\n15) TERM\n');
    return 0;
  }
  if (args[0] === '-s') {
    args.shift();
    const named = parseSignal(args.shift() ?? '');
    if (!named) return usageError(io, 'kill', 'bad signal name');
    signal = named;
  } else if (args[0]?.startsWith('-')) {
    const named = parseSignal(args.shift()!.slice(1));
    if (!named) return usageError(io, 'kill', 'bad signal name');
    signal = named;
  }
  let status = 0;
  for (const arg of args) {
    const target = ctx.processes.get(Number(arg));
    if (!target) {
      io.stderr(`kill: can't kill pid ${arg}: No such process\n`);
      status = 1;
      continue;
    }
    target.deliver(signal);
  }
  return status;
};

function usageError(io: { stderr(d: string): void }, applet: string, why: string): number {
  io.stderr(`${applet}: ${why}\n`);
  return 1;
}

export const ps: Program = async ({ ctx, io }) => {
  const rows = ctx.processes.list().map((p) => `${String(p.pid).padStart(5)} root      0:00 ${p.argv.join(' ')}\n`);
  io.stdout(`PID   USER     TIME  COMMAND\n${rows.join('')}`);
  return 0;
};

export const date: Program = async ({ io }) => {
  // toUTCString: `Thu, 23 May 2024 14:55:35 GMT` → busybox: `Thu May 23 14:55:35 UTC 2024`
  const [weekday = '', day = '', month = '', year = '', time = ''] = new Date()
    .toUTCString()
    .replace(',', '')
    .split(' ');
  io.stdout(`${weekday} ${month} ${String(Number(day)).padStart(2)} ${time} UTC ${year}\n`);
  return 0;
};

export const pwd: Program = async ({ io }) => {
  io.stdout('/\n');
  return 0;
};

export const whoami: Program = async ({ io }) => {
  io.stdout('root\n');
  return 0;
};

export const uname: Program = async ({ argv, io }) => {
  io.stdout(argv.includes('-a') ? 'Linux sim 6.1.0 #1 SMP x86_64 GNU/Linux\n' : 'Linux\n');
  return 0;
};
