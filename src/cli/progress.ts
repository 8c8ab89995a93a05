/**
 * Shows an audit's progress on stderr. On a terminal (`live`): one line per check, a spinner
 * while it runs and what it is waiting for, redrawn in place. In a pipe (`plain`): timestamped
 * lines, and a "still waiting" line at least every 10 s while a check runs, so a CI log never
 * goes silent long enough to look hung.
 */

export interface ProgressEvent {
  at: string;
  level: string;
  message: string;
  checkId?: string | null;
}

export interface Progress {
  /** A line about the run itself (queued, warnings, where it runs). */
  note(message: string): void;
  event(event: ProgressEvent): void;
  /** Stops timers and leaves the final state on screen. */
  stop(): void;
}

export interface ProgressOptions {
  write: (text: string) => void;
  now?: () => Date;
  /** `plain`: the longest silence while something runs (default 10 s). */
  heartbeatMs?: number;
  /** `live`: terminal width (default 100). */
  columns?: number;
}

type CheckState = { status: 'running' | 'passed' | 'failed' | 'skipped' | 'error'; detail: string; since: number };

const FINISHED = /^Check (\S+) (passed|failed|skipped|error): ([\s\S]*)$/;
const STARTED = /^Check (\S+) started\.$/;

type Classified =
  | { kind: 'run' }
  | { kind: 'started'; checkId: string }
  | { kind: 'progress'; checkId: string }
  | { kind: 'finished'; checkId: string; status: Exclude<CheckState['status'], 'running'>; summary: string };

/**
 * What one event says about its check: started, finished (with status), or an intermediate
 * progress message. The runner writes `Check <id> started.` and `Check <id> <status>: <summary>`;
 * anything else carrying a checkId is a check's own progress (see CheckContext.progress).
 */
export function classify(event: ProgressEvent): Classified {
  if (!event.checkId) return { kind: 'run' };
  const finished = FINISHED.exec(event.message);
  if (finished && finished[1] === event.checkId) {
    const status = finished[2] as Exclude<CheckState['status'], 'running'>;
    return { kind: 'finished', checkId: event.checkId, status, summary: finished[3] ?? '' };
  }
  if (STARTED.exec(event.message)?.[1] === event.checkId) return { kind: 'started', checkId: event.checkId };
  return { kind: 'progress', checkId: event.checkId };
}

const MARK: Record<CheckState['status'], string> = {
  running: ' ',
  passed: '✔',
  failed: '✘',
  skipped: '-',
  error: '?',
};
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Timestamped lines for logs. */
export function plainProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => new Date());
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const running = new Map<string, CheckState>();
  let lastLine = now().getTime();
  const line = (text: string) => {
    lastLine = now().getTime();
    opts.write(`${now().toISOString()} ${text}\n`);
  };
  // Checks at a fraction of the interval, so the gap never exceeds it by more than that fraction.
  const timer = setInterval(
    () => {
      if (running.size === 0 || now().getTime() - lastLine < heartbeatMs) return;
      const waits = [...running.entries()].map(([id, s]) => {
        const secs = Math.round((now().getTime() - s.since) / 1000);
        return `${id} (${secs}s${s.detail ? `: ${s.detail}` : ''})`;
      });
      line(`still waiting: ${waits.join(', ')}`);
    },
    Math.max(10, Math.floor(heartbeatMs / 5)),
  );
  timer.unref?.();
  return {
    note: (message) => line(message),
    event(event) {
      const c = classify(event);
      if (c.kind === 'run') return line(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
      if (c.kind === 'started') {
        running.set(c.checkId, { status: 'running', detail: '', since: now().getTime() });
        return line(`${c.checkId} started`);
      }
      if (c.kind === 'progress') {
        const state = running.get(c.checkId);
        if (state) state.detail = event.message;
        return line(`${c.checkId} waiting: ${event.message}`);
      }
      running.delete(c.checkId);
      line(`${c.checkId} ${c.status}: ${c.summary}`);
    },
    stop: () => clearInterval(timer),
  };
}

/** One line per check, redrawn in place with ANSI cursor movement; run notes scroll above. */
export function liveProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => new Date());
  const columns = Math.max(40, opts.columns ?? 100);
  const checks = new Map<string, CheckState & { finishedAt?: number }>();
  let drawn = 0;
  let frame = 0;
  const clip = (text: string) => (text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text);
  const render = () => {
    const out: string[] = [];
    if (drawn > 0) out.push(`\x1b[${drawn}A`);
    const width = Math.max(0, ...[...checks.keys()].map((k) => k.length));
    for (const [id, s] of checks) {
      const mark = s.status === 'running' ? (SPINNER[frame % SPINNER.length] ?? '*') : MARK[s.status];
      const secs = (((s.finishedAt ?? now().getTime()) - s.since) / 1000).toFixed(1).padStart(5);
      const word = s.status === 'running' ? 'running' : s.status;
      out.push(`\x1b[2K${clip(`${mark} ${id.padEnd(width)}  ${word.padEnd(7)} ${secs}s  ${s.detail}`)}\n`);
    }
    drawn = checks.size;
    opts.write(out.join(''));
  };
  const timer = setInterval(() => {
    frame++;
    if ([...checks.values()].some((s) => s.status === 'running')) render();
  }, 120);
  timer.unref?.();
  const note = (message: string) => {
    // Clear the live block, print the note, draw the block again under it.
    if (drawn > 0) opts.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
    opts.write(`${clip(message)}\n`);
    render();
  };
  return {
    note,
    event(event) {
      const c = classify(event);
      if (c.kind === 'run') return note(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
      if (c.kind === 'started') checks.set(c.checkId, { status: 'running', detail: '', since: now().getTime() });
      else if (c.kind === 'progress') {
        const state = checks.get(c.checkId);
        if (state) state.detail = event.message;
      } else {
        const state = checks.get(c.checkId) ?? { status: 'running' as const, detail: '', since: now().getTime() };
        checks.set(c.checkId, { ...state, status: c.status, detail: c.summary, finishedAt: now().getTime() });
      }
      render();
    },
    stop() {
      clearInterval(timer);
      render();
    },
  };
}

/** No progress at all (`--progress none`). */
export const silentProgress: Progress = { note: () => {}, event: () => {}, stop: () => {} };
