/**
 * The kubelet's prober (pkg/kubelet/prober/worker.go, prober.go): one worker per container and
 * probe kind, started when the container starts. It waits initialDelaySeconds, then probes
 * every periodSeconds with timeoutSeconds; successThreshold consecutive successes make a
 * container ready, failureThreshold consecutive failures make it unready (readiness) or kill it
 * for a restart (liveness). Every failed probe is a Warning `Unhealthy` event
 * `<Kind> probe failed: <output>`; a liveness kill is a Normal `Killing` event `Container <name>
 * failed liveness probe, will be restarted` (pkg/kubelet/kuberuntime).
 *
 * Startup probes (worker.go doProbe, prober_manager.go UpdatePodStatus): while a container has a
 * startup probe that has not yet succeeded it is `started: false` and not ready, and its
 * readiness and liveness workers skip their turns; the first success (successThreshold is 1 for
 * startup probes) marks it started, stops the startup worker and triggers the readiness worker
 * at once; failureThreshold failures kill it like liveness (`Container <name> failed startup
 * probe, will be restarted`), and the restarted instance starts unstarted again. A container
 * without a startup probe is started as soon as it runs.
 *
 * Probe fields not set in the pod are the API defaults (period 10 s, timeout 1 s, success 1,
 * failure 3, initial delay 0: pkg/apis/core/v1/defaults.go SetDefaults_Probe), in case the API
 * server did not fill them in. Seconds are scaled by timings.probeMsPerSecond.
 */
import type { KubeObj, ProbeSpec } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';
import { containerEvent, containersOf, type NodeKubelet } from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { runningContainerStatus } from './pod-status.js';

type ProbeKind = 'startup' | 'readiness' | 'liveness';

const KINDS: Array<{ kind: ProbeKind; field: 'startupProbe' | 'readinessProbe' | 'livenessProbe'; title: string }> = [
  { kind: 'startup', field: 'startupProbe', title: 'Startup' },
  { kind: 'readiness', field: 'readinessProbe', title: 'Readiness' },
  { kind: 'liveness', field: 'livenessProbe', title: 'Liveness' },
];

/** What the kubelet does when liveness or startup fails: kill the container and let restarts.ts take it. */
export interface ProberHooks {
  livenessKilled(k: NodeKubelet, pod: KubeObj, container: string): void;
  /** Readiness or started changed: write the container status and pod conditions. */
  readinessChanged(k: NodeKubelet, pod: KubeObj, rec: PodRecord, container: string): void;
}

export function defaultedProbe(probe: ProbeSpec): Required<Omit<ProbeSpec, 'httpGet' | 'tcpSocket' | 'exec'>> {
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** Whether the container has a readiness probe (then it is unready until the probe passes). */
export function hasReadinessProbe(pod: KubeObj, container: string): boolean {
  return Boolean(containersOf(pod).find((c) => c.name === container)?.readinessProbe);
}

/** Whether the running instance counts as started: no startup probe, or it has passed. */
export function isStarted(spec: Json | undefined, record: { started?: boolean } | undefined): boolean {
  return !spec?.startupProbe || record?.started === true;
}

const timerKey = (rec: PodRecord, container: string, kind: ProbeKind) => `probe:${rec.uid}:${container}:${kind}`;

/** Each worker's tick by timer key, so a startup success can trigger the readiness worker. */
const workerTicks = new Map<string, () => void>();

/** Starts the container's probe workers (once per container instance). */
export function startProbes(k: NodeKubelet, pod: KubeObj, rec: PodRecord, container: string, hooks: ProberHooks): void {
  const spec = containersOf(pod).find((c) => c.name === container);
  const record = rec.containers.get(container);
  if (!spec || !record) return;
  if (!k.ctx.runtime.probe) {
    // A runtime without containers to probe (controller tests): startup and readiness pass at once.
    if ((spec.readinessProbe && !record.ready) || (spec.startupProbe && !record.started)) {
      record.ready = true;
      record.started = true;
      hooks.readinessChanged(k, pod, rec, container);
    }
    return;
  }
  for (const { kind, field, title } of KINDS) {
    const probe: ProbeSpec | undefined = spec[field];
    if (!probe) continue;
    const key = timerKey(rec, container, kind);
    if (k.loop.timers.has(key)) continue;
    const d = defaultedProbe(probe);
    const worker = { containerId: record.containerId, successes: 0, failures: 0 };
    const ms = (seconds: number) => Math.max(1, seconds * k.ctx.timings.probeMsPerSecond);
    const tick = () => {
      const current = k.ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
      const live = current && k.state.pods.get(current.metadata.uid!);
      const c = live?.containers.get(container);
      if (!current || !live || !c?.running || c.containerId !== worker.containerId) return;
      const started = isStarted(spec, c);
      if (kind === 'startup' && started) return;
      if (kind !== 'startup' && !started) {
        k.loop.timers.set(key, ms(d.periodSeconds), tick);
        return;
      }
      void k.ctx.runtime.probe!(current, container, probe, ms(d.timeoutSeconds)).then((outcome) => {
        const again = live.containers.get(container);
        if (!again?.running || again.containerId !== worker.containerId || live.stage !== 'running') return;
        if (outcome.success) {
          worker.failures = 0;
          worker.successes++;
          if (kind === 'startup') {
            again.started = true;
            hooks.readinessChanged(k, current, live, container);
            // The readiness worker runs at once instead of waiting out its period.
            const readiness = timerKey(live, container, 'readiness');
            if (k.loop.timers.has(readiness)) k.loop.timers.set(readiness, 1, workerTicks.get(readiness)!);
            return;
          }
          if (kind === 'readiness' && !again.ready && worker.successes >= d.successThreshold) {
            again.ready = true;
            hooks.readinessChanged(k, current, live, container);
          }
        } else {
          worker.successes = 0;
          worker.failures++;
          containerEvent(k, current, container, 'Warning', 'Unhealthy', `${title} probe failed: ${outcome.output}`);
          if (kind === 'readiness' && again.ready && worker.failures >= d.failureThreshold) {
            again.ready = false;
            hooks.readinessChanged(k, current, live, container);
          }
          if ((kind === 'liveness' || kind === 'startup') && worker.failures >= d.failureThreshold) {
            containerEvent(
              k,
              current,
              container,
              'Normal',
              'Killing',
              `Container ${container} failed ${kind} probe, will be restarted`,
            );
            hooks.livenessKilled(k, current, container);
            return;
          }
        }
        k.loop.timers.set(key, ms(d.periodSeconds), tick);
      });
    };
    workerTicks.set(key, tick);
    k.loop.timers.set(key, ms(d.initialDelaySeconds), tick);
  }
}

export function stopProbes(k: NodeKubelet, rec: PodRecord, container: string): void {
  for (const { kind } of KINDS) {
    k.loop.timers.cancel(timerKey(rec, container, kind));
    workerTicks.delete(timerKey(rec, container, kind));
  }
}

/** The status a running container shows: started once its startup probe (if any) passed, ready when also its readiness probe (if any) passed. */
export function runningStatusOf(spec: Json, rec: PodRecord, healthy: boolean): Json {
  const record = rec.containers.get(spec.name)!;
  const started = isStarted(spec, record);
  const probed = Boolean(spec.readinessProbe);
  return runningContainerStatus(spec, record, healthy && started && (!probed || record.ready === true), started);
}
