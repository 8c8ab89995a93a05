/**
 * Runs a program of an emulated image as a process: gives it a PID, routes signals with the
 * kernel's rules (PID 1 only receives signals it handles, Go binaries always handle them),
 * and removes its listening ports when it ends.
 */
import path from 'node:path';
import { SIGNAL_NUMBERS } from './process-table.js';
import type {
  ConnectionHandler,
  ContainerContext,
  DnsHandler,
  EmulatedImage,
  ProcessEnv,
  ProcessIo,
  Program,
  SignalName,
} from './types.js';

/** Ports a container's processes listen on, inside the pod's network namespace. */
export interface PortTable {
  tcp: Map<number, ConnectionHandler>;
  dns: Map<number, DnsHandler>;
}

export type RunResult = { kind: 'exited'; code: number } | { kind: 'not-found'; name: string };

export interface RunOptions {
  /** The container's main process (PID 1 rules for signals). */
  pid1?: boolean;
  /** Run this program instead of looking argv[0] up on the image. */
  program?: Program;
}

export interface ProgramRunner {
  has(name: string): boolean;
  run(argv: string[], io: ProcessIo, signal: AbortSignal, options?: RunOptions): Promise<RunResult>;
}

/** Exit status of a process killed by a signal it did not handle. */
export function killedStatus(signal: SignalName): number {
  return 128 + SIGNAL_NUMBERS[signal];
}

export function createProgramRunner(image: EmulatedImage, ctx: ContainerContext, ports: PortTable): ProgramRunner {
  const lookup = (name: string) => image.programs.get(path.posix.basename(name));

  const runner: ProgramRunner = {
    has: (name) => lookup(name) !== undefined,
    async run(argv, io, signal, { pid1 = false, program = argv[0] === undefined ? undefined : lookup(argv[0]) } = {}) {
      if (!program) return { kind: 'not-found', name: argv[0] ?? '' };

      const killer = new AbortController();
      let killedWith: number | undefined;
      const terminate = (code: number) => {
        if (killedWith !== undefined) return;
        killedWith = code;
        killer.abort();
      };
      const handlers: Array<(signal: SignalName) => boolean> = [];
      const deliver = (sig: SignalName) => {
        if (sig !== 'KILL' && handlers.some((handle) => handle(sig))) return;
        // The kernel drops signals sent to a namespace's init from inside it unless it installed
        // a handler; the Go runtime installs one for every catchable signal, then exits 2.
        if (pid1 && (sig === 'KILL' || image.pid1Signals === 'ignore-as-pid1')) return;
        terminate(pid1 && image.pid1Signals === 'go-runtime' ? 2 : killedStatus(sig));
      };
      const { pid, release } = ctx.processes.spawn(argv, deliver);
      const combined = AbortSignal.any([signal, killer.signal]);
      const owned: Array<() => void> = [];
      const listen = <H>(table: Map<number, H>, port: number, handler: H) => {
        table.set(port, handler);
        owned.push(() => {
          if (table.get(port) === handler) table.delete(port);
        });
      };
      const env: ProcessEnv = {
        ctx,
        argv,
        io,
        signal: combined,
        pid,
        onSignal: (listener) => handlers.push(listener),
        listenTcp: (port, handler) => listen(ports.tcp, port, handler),
        listenDns: (port, handler) => listen(ports.dns, port, handler),
        run: async (childArgv, childIo, childSignal) => {
          const result = await runner.run(childArgv, childIo, AbortSignal.any([combined, childSignal]));
          return result.kind === 'exited' ? result.code : 127;
        },
        has: runner.has,
      };
      const killed = new Promise<number>((resolve) => {
        const onAbort = () => resolve(killedWith ?? killedStatus('KILL'));
        if (combined.aborted) onAbort();
        else combined.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const code = await Promise.race([
          program(env).catch((error: unknown) => {
            io.stderr(`${path.posix.basename(argv[0]!)}: ${error instanceof Error ? error.message : String(error)}\n`);
            return 1;
          }),
          killed,
        ]);
        return { kind: 'exited', code: killedWith ?? code };
      } finally {
        release();
        for (const drop of owned) drop();
        killer.abort();
      }
    },
  };
  return runner;
}
