/**
 * A process's stdin fed by a stream (exec/attach channel 0): read() resolves with everything at
 * EOF, or earlier once `complete` accepts what arrived so far.
 */
export class StdinPipe {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private readonly waiters: Array<() => void> = [];

  write(data: Buffer): void {
    if (this.ended) return;
    this.chunks.push(Buffer.from(data));
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  async read(complete?: (data: Buffer) => boolean): Promise<Buffer> {
    while (!this.ended && !complete?.(Buffer.concat(this.chunks))) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return Buffer.concat(this.chunks);
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export const noStdin = async (): Promise<Buffer> => Buffer.alloc(0);
