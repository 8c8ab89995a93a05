/**
 * Request/answer over a child process's IPC channel: the benchmark asks its simulated cluster and
 * its service probe for figures (`{ id, op, args }` → `{ id, ok, result | error }`).
 */
import type { ChildProcess } from 'node:child_process';

export interface IpcAnswer {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class IpcClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (message: unknown) => {
      const answer = message as Partial<IpcAnswer>;
      if (typeof answer?.id !== 'number') return;
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (answer.ok) waiter.resolve(answer.result);
      else waiter.reject(new Error(`${this.name}: ${answer.error ?? 'failed'}`));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`${this.name} exited (${signal ?? `code ${code}`}) before answering`));
      this.pending.clear();
    });
  }

  ask<T>(op: string, args: unknown = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args }, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(new Error(`${this.name}: ${err.message}`));
        }
      });
    });
  }
}

/** The child side: answers each request with `handlers[op](args)`. */
export function serveIpc(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (message: unknown) => {
    const { id, op, args } = (message ?? {}) as { id?: number; op?: string; args?: unknown };
    if (typeof id !== 'number' || typeof op !== 'string') return;
    const handler = handlers[op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown request ${op}`);
        return handler(args as never);
      })
      .then(
        (result) => process.send?.({ id, ok: true, result }),
        (err: unknown) => process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  });
}
