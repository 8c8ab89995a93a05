/** Submitting an audit to the service and following it to its end (its event stream: no polling). */

export interface RunView {
  id: string;
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cleanup: { namespace: string | null; deleted: boolean } | null;
  errorDetail: string | null;
  checks: Array<{ id: string; status: string; summary: string; startedAt: string; durationMs: number }>;
}

export async function submitAudit(base: string, kubeconfig: string): Promise<string> {
  const res = await fetch(`${base}/v1/audits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kubeconfig, checks: ['smoke', 'encryption'] }),
  });
  if (res.status !== 202)
    throw new Error(`POST /v1/audits answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { id: string }).id;
}

/** Reads the run's event stream until the service closes it (the run ended), then the run. */
export async function finishedRun(base: string, id: string, timeoutMs: number): Promise<RunView> {
  const signal = AbortSignal.timeout(timeoutMs);
  const stream = await fetch(`${base}/v1/audits/${id}/events`, { headers: { accept: 'text/event-stream' }, signal });
  if (stream.status !== 200) throw new Error(`the event stream of ${id} answered ${stream.status}`);
  await stream.text();
  const res = await fetch(`${base}/v1/audits/${id}`, { signal });
  return (await res.json()) as RunView;
}

/** One audit from POST to its final status, as a client waits for it. */
export async function timedAudit(
  base: string,
  kubeconfig: string,
  timeoutMs: number,
): Promise<{ run: RunView; wallMs: number }> {
  const began = performance.now();
  const id = await submitAudit(base, kubeconfig);
  const run = await finishedRun(base, id, timeoutMs);
  return { run, wallMs: performance.now() - began };
}

/** The failing checks of a run, for a message. */
export function notPassed(run: RunView): string {
  const bad = run.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id} ${c.status}: ${c.summary}`);
  return `${run.status}${run.errorDetail ? ` (${run.errorDetail})` : ''}${bad.length ? `; ${bad.join('; ')}` : ''}`;
}

/**
 * Waits until the service has recorded the run's cleanup (it comes after the verdict, once the
 * namespace is gone), so a later phase does not share the machine with that work. The service
 * publishes no event for it after the stream ended, so this asks every 100 ms, for `timeoutMs`.
 */
export async function cleanupRecorded(base: string, id: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const run = (await (await fetch(`${base}/v1/audits/${id}`)).json()) as RunView;
    if (run.cleanup) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cleanup of audit ${id} was not recorded within ${Math.round(timeoutMs / 1000)} s`);
}
