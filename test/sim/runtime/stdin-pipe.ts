/** A process's stdin fed by a stream (exec/attach channel 0): read() resolves with everything at EOF. */
export class StdinPipe {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private readonly waiters: Array<() => void> = [];

  write(data: Buffer): void {
    if (!this.ended) this.chunks.push(Buffer.from(data));
  }

  end(): void {
    this.ended = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  async read(): Promise<Buffer> {
    if (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return Buffer.concat(this.chunks);
  }
}

export const noStdin = async (): Promise<Buffer> => Buffer.alloc(0);
