/**
 * Runs a parsed script the way busybox ash does for the commands our checks and people use:
 * variables, $?, $(...), && / ||, pipes (buffered), loops, traps, `exit`, redirections to
 * /dev/null and between stdout/stderr. Anything else is looked up as a program of the image.
 */
import { delay } from '../../network/timing.js';
import { parseSignal } from '../process-table.js';
import type { ProcessEnv, ProcessIo, SignalName } from '../types.js';
import type { AndOr, Command, List, Pipeline, Redirect, Word } from './ast.js';
import { ShellSyntaxError } from './lexer.js';
import { parseScript } from './parser.js';

class ShellExit {
  constructor(readonly code: number) {}
}

type Builtin = (shell: Shell, args: string[], io: ProcessIo) => Promise<number> | number;

/** A busy `while true; do :; done` gets a 1 ms pause per turn: it must not starve the simulation or keep it alive. */
const yieldToEventLoop = () => delay(1);

export class Shell {
  readonly vars = new Map<string, string>();
  lastStatus = 0;
  private readonly traps = new Map<SignalName, string>();
  private readonly pending: SignalName[] = [];
  private foreground = new AbortController();

  constructor(
    private readonly proc: ProcessEnv,
    private readonly name = 'sh',
  ) {
    for (const [k, v] of proc.ctx.env) this.vars.set(k, v);
    proc.onSignal((signal) => {
      const action = this.traps.get(signal);
      if (action === undefined) return false;
      if (action !== '') {
        this.pending.push(signal);
        this.foreground.abort(); // a trapped signal interrupts the foreground wait
      }
      return true;
    });
  }

  /** Runs a whole script; returns the shell's exit status. */
  async runScript(src: string, io: ProcessIo): Promise<number> {
    let list: List;
    try {
      list = parseScript(src);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      io.stderr(`${this.name}: ${error.message}\n`);
      return 2;
    }
    try {
      return await this.runList(list, io);
    } catch (error) {
      if (error instanceof ShellExit) return error.code;
      throw error;
    }
  }

  setTrap(signal: SignalName, action: string | undefined): void {
    if (action === undefined) this.traps.delete(signal);
    else this.traps.set(signal, action);
  }

  private async runList(list: List, io: ProcessIo): Promise<number> {
    for (const item of list) {
      this.lastStatus = await this.runAndOr(item, io);
      await this.runPendingTraps(io);
    }
    return this.lastStatus;
  }

  private async runPendingTraps(io: ProcessIo): Promise<void> {
    while (this.pending.length > 0) {
      const signal = this.pending.shift()!;
      this.foreground = new AbortController();
      const action = this.traps.get(signal);
      if (action) await this.runList(parseScript(action), io);
    }
  }

  private async runAndOr(item: AndOr, io: ProcessIo): Promise<number> {
    let status = await this.runPipeline(item.first, io);
    for (const { op, pipeline } of item.rest) {
      if ((op === '&&') === (status === 0)) status = await this.runPipeline(pipeline, io);
    }
    return status;
  }

  private async runPipeline(pipeline: Pipeline, io: ProcessIo): Promise<number> {
    let status = 0;
    let input: Buffer | undefined;
    for (const [index, command] of pipeline.commands.entries()) {
      const last = index === pipeline.commands.length - 1;
      const chunks: Buffer[] = [];
      const stageIo: ProcessIo = {
        stdout: last ? io.stdout : (d) => chunks.push(Buffer.from(d)),
        stderr: io.stderr,
        readStdin: input === undefined ? io.readStdin : async () => input!,
      };
      status = await this.runCommand(command, stageIo);
      input = Buffer.concat(chunks);
    }
    return pipeline.negated ? Number(status === 0) : status;
  }

  private async runCommand(command: Command, io: ProcessIo): Promise<number> {
    if (this.proc.signal.aborted) throw new ShellExit(this.lastStatus);
    switch (command.kind) {
      case 'simple':
        return this.runSimple(command, io);
      case 'group':
        return this.runList(command.body, io);
      case 'for': {
        const items = command.items ? await this.expandWords(command.items) : [];
        let status = 0;
        for (const item of items) {
          this.vars.set(command.variable, item);
          status = await this.runList(command.body, io);
        }
        return status;
      }
      case 'loop': {
        let status = 0;
        for (;;) {
          const condition = await this.runList(command.condition, io);
          if ((condition === 0) === command.until) return status;
          status = await this.runList(command.body, io);
          await yieldToEventLoop(); // `while true; do :; done` must not starve the simulation
        }
      }
      case 'if': {
        for (const branch of command.branches) {
          if ((await this.runList(branch.condition, io)) === 0) return this.runList(branch.body, io);
        }
        return command.otherwise ? this.runList(command.otherwise, io) : 0;
      }
    }
  }

  private async runSimple(command: Extract<Command, { kind: 'simple' }>, io: ProcessIo): Promise<number> {
    const argv = await this.expandWords(command.words);
    for (const { name, value } of command.assigns) {
      const expanded = (await this.expandWord(value, false))[0] ?? '';
      this.vars.set(name, expanded);
    }
    const redirected = await this.applyRedirects(command.redirects, io);
    if (typeof redirected === 'number') return redirected;
    const [name, ...args] = argv;
    if (name === undefined) return 0;
    const builtin = BUILTINS[name];
    if (builtin) return builtin(this, args, redirected);
    if (!this.proc.has(name)) {
      redirected.stderr(`${this.name}: ${name}: not found\n`);
      return 127;
    }
    return this.proc.run(argv, redirected, this.foreground.signal);
  }

  private async applyRedirects(redirects: Redirect[], io: ProcessIo): Promise<ProcessIo | number> {
    let out = io.stdout;
    let err = io.stderr;
    const discard = () => undefined;
    for (const redirect of redirects) {
      const target = (await this.expandWord(redirect.target, false)).join(' ');
      if (redirect.op === '>&') {
        const to = target === '2' ? io.stderr : target === '1' ? io.stdout : undefined;
        if (!to) return 1;
        if (redirect.fd === 2) err = to;
        else out = to;
      } else if (redirect.op === '<') {
        if (target !== '/dev/null') {
          io.stderr(`${this.name}: can't open '${target}': No such file or directory\n`);
          return 1;
        }
      } else if (target === '/dev/null') {
        if (redirect.fd === 2) err = discard;
        else out = discard;
      } else {
        io.stderr(`${this.name}: can't create ${target}: Read-only file system\n`);
        return 1;
      }
    }
    return { stdout: out, stderr: err, readStdin: io.readStdin };
  }

  async expandWords(words: Word[]): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) out.push(...(await this.expandWord(word, true)));
    return out;
  }

  /** Expands one word; unquoted expansions are split on blanks when `split` is set. */
  private async expandWord(word: Word, split: boolean): Promise<string[]> {
    const fields: string[] = [];
    let current = '';
    let hasQuoted = false;
    for (const part of word) {
      if (part.kind === 'lit') {
        current += part.text;
        hasQuoted ||= part.quoted;
        continue;
      }
      const value = part.kind === 'var' ? this.variable(part.name) : await this.substitute(part.script);
      if (part.quoted || !split) {
        current += value;
        hasQuoted ||= part.quoted;
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) {
          if (current !== '' || hasQuoted) fields.push(current);
          current = '';
          hasQuoted = false;
        }
        current += piece;
      });
    }
    if (current !== '' || hasQuoted) fields.push(current);
    return fields;
  }

  private variable(name: string): string {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return String(this.proc.pid);
    if (name === '#') return '0';
    return this.vars.get(name) ?? '';
  }

  private async substitute(script: string): Promise<string> {
    const chunks: Buffer[] = [];
    const sub = new Shell(this.proc, this.name);
    for (const [k, v] of this.vars) sub.vars.set(k, v);
    const io: ProcessIo = {
      stdout: (d) => chunks.push(Buffer.from(d)),
      stderr: this.proc.io.stderr,
      readStdin: async () => Buffer.alloc(0),
    };
    this.lastStatus = await sub.runScript(script, io);
    return Buffer.concat(chunks).toString().replace(/\n+$/, '');
  }
}

function echo(args: string[], io: ProcessIo): number {
  let newline = true;
  let escapes = false;
  while (args[0] === '-n' || args[0] === '-e' || args[0] === '-ne' || args[0] === '-en') {
    const flag = args.shift()!;
    if (flag.includes('n')) newline = false;
    if (flag.includes('e')) escapes = true;
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  io.stdout(text + (newline ? '\n' : ''));
  return 0;
}

function test(args: string[]): number {
  if (args[args.length - 1] === ']') args = args.slice(0, -1);
  const [a, op, b] = args;
  if (args.length === 0) return 1;
  if (args.length === 1) return a === '' ? 1 : 0;
  if (args.length === 2) {
    if (a === '-z') return op === '' ? 0 : 1;
    if (a === '-n') return op !== '' ? 0 : 1;
    if (a === '!') return op === '' ? 0 : 1;
  }
  const numeric: Record<string, (x: number, y: number) => boolean> = {
    '-eq': (x, y) => x === y,
    '-ne': (x, y) => x !== y,
    '-lt': (x, y) => x < y,
    '-le': (x, y) => x <= y,
    '-gt': (x, y) => x > y,
    '-ge': (x, y) => x >= y,
  };
  if (op === '=' || op === '==') return a === b ? 0 : 1;
  if (op === '!=') return a !== b ? 0 : 1;
  const compare = op === undefined ? undefined : numeric[op];
  if (compare) return compare(Number(a), Number(b)) ? 0 : 1;
  return 2;
}

const BUILTINS: Record<string, Builtin> = {
  ':': () => 0,
  true: () => 0,
  false: () => 1,
  echo: (_shell, args, io) => echo([...args], io),
  test: (_shell, args) => test(args),
  '[': (_shell, args) => test(args),
  cd: () => 0,
  wait: () => 0,
  export: (shell, args) => {
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq > 0) shell.vars.set(arg.slice(0, eq), arg.slice(eq + 1));
    }
    return 0;
  },
  unset: (shell, args) => {
    for (const arg of args) shell.vars.delete(arg);
    return 0;
  },
  exit: (shell, args) => {
    throw new ShellExit(args[0] === undefined ? shell.lastStatus : Number(args[0]) & 255);
  },
  trap: (shell, args, io) => {
    const [action, ...signals] = args;
    if (action === undefined) return 0;
    for (const name of signals) {
      const signal = parseSignal(name);
      if (!signal) {
        io.stderr(`sh: trap: ${name}: invalid signal specification\n`);
        return 1;
      }
      shell.setTrap(signal, action === '-' ? undefined : action);
    }
    return 0;
  },
};
