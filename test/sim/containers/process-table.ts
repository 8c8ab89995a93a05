/** The PID namespace of one container: PID 1 is the first process spawned (the main process). */
import type { ProcessHandle, ProcessTable, SignalName } from './types.js';

export function createProcessTable(): ProcessTable {
  const processes = new Map<number, ProcessHandle>();
  let nextPid = 1;
  return {
    get: (pid) => processes.get(pid),
    list: () => [...processes.values()].sort((a, b) => a.pid - b.pid),
    spawn(argv: string[], deliver: (signal: SignalName) => void) {
      const pid = nextPid++;
      processes.set(pid, { pid, argv, deliver });
      return { pid, release: () => processes.delete(pid) };
    },
  };
}

export const SIGNAL_NUMBERS: Record<SignalName, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  TERM: 15,
};

/** `TERM`, `SIGTERM`, `15`, `term` → 'TERM'; undefined when it names no signal we emulate. */
export function parseSignal(text: string): SignalName | undefined {
  const upper = text.toUpperCase().replace(/^SIG/, '');
  if (upper in SIGNAL_NUMBERS) return upper as SignalName;
  const byNumber = Object.entries(SIGNAL_NUMBERS).find(([, n]) => String(n) === text);
  return byNumber?.[0] as SignalName | undefined;
}
