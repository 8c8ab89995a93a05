import { ClusterError } from '../../../src/kube/cluster-access.js';

/** The ClusterError a call fails with; anything else (or success) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClusterError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
