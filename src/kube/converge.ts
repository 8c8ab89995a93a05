import { ClusterError } from './cluster-access.js';

/** Runs a bounded wait; a `timeout` means "did not converge in the budget" (a verdict), not an error. */
export async function convergedWithin(wait: () => Promise<unknown>): Promise<boolean> {
  try {
    await wait();
    return true;
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'timeout') return false;
    throw err;
  }
}
