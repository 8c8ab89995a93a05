/**
 * Open Server-Sent Event streams per tenant: each holds a connection and a store subscription
 * until its run ends, so one tenant could otherwise hold thousands. Past the limit a new stream
 * is refused with 429 (the JSON form of the events stays available).
 */
export class StreamSlots {
  readonly #open = new Map<string, number>();
  constructor(readonly perTenant: number) {}

  /** Takes a slot for `tenant`; returns its release function, or undefined when none is free. */
  acquire(tenant: string): (() => void) | undefined {
    const open = this.#open.get(tenant) ?? 0;
    if (open >= this.perTenant) return undefined;
    this.#open.set(tenant, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.#open.get(tenant) ?? 1) - 1;
      if (now <= 0) this.#open.delete(tenant);
      else this.#open.set(tenant, now);
    };
  }
}

export const DEFAULT_EVENT_STREAMS_PER_TENANT = 8;
