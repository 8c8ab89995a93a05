/**
 * Client-side time-outs inside the simulation (busybox `wget -T`, the resolver's retries, the
 * kernel's connect time-out) are waited in *scaled* real time, so a test that provokes a
 * "timed out" symptom does not really wait seconds: a time-out of T ms costs T × timeoutScale
 * ms of real time. The output still names the unscaled time-out (it is what real tools print).
 * Scale 1 gives real durations (for a person poking at the standalone simulation).
 */
export const DEFAULT_TIMEOUT_SCALE = 0.01;

/** Linux's default TCP connect time-out (6 SYN retries): what wait without `-T` costs. */
export const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

/** glibc/musl resolver defaults (`options timeout:5 attempts:2`). */
export const RESOLVER_TIMEOUT_MS = 5_000;
export const RESOLVER_ATTEMPTS = 2;

export interface SimTiming {
  timeoutScale: number;
}

/** Resolves after `ms` real milliseconds, or early (resolving false) when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits a client time-out of `virtualMs`, scaled (see module comment). */
export function waitTimeout(timing: SimTiming, virtualMs: number, signal?: AbortSignal): Promise<boolean> {
  return delay(virtualMs * timing.timeoutScale, signal);
}
