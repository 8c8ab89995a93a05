/**
 * The simulated cluster's container runtime and the kubelet's streaming endpoints.
 *
 * @example
 *   const runtime = createContainerRuntime(view);
 *   runtime.startContainer(pod, 'web');            // kubelet: container Running
 *   runtime.handleExec(req, socket, head, exec);    // API server: pods/exec upgrade
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { capturedIo } from '../containers/captured-io.js';
import { selectImage } from '../containers/index.js';
import type { EmulatedImage } from '../containers/types.js';
import type { ClusterView, ContainerRuntime, ExecRequest, KubeObj } from '../contracts.js';
import { createVirtualNetwork, DEFAULT_TIMEOUT_SCALE, type VirtualNetwork } from '../network/index.js';
import { ContainerInstance } from './container-instance.js';
import type { ContainerLog } from './container-log.js';
import { ContainerRegistry } from './container-registry.js';
import { containerSpec } from './container-setup.js';
import { handleAttach, handleExec } from './exec-handler.js';
import { handleLogs } from './logs-handler.js';
import { handlePortForward } from './portforward-handler.js';
import { runProbe } from './probe-handler.js';

export interface ContainerRuntimeOptions {
  /** Real time spent per unit of a client's time-out (see network/timing.ts). */
  timeoutScale?: number;
  /** Extra image emulations, tried before the built-in ones (tests use this for fixture servers). */
  images?: EmulatedImage[];
}

export interface ExecOutput {
  stdout: string;
  stderr: string;
  /** The exit status; undefined when the binary does not exist (containerd's exec error). */
  exitCode: number | undefined;
}

export interface SimContainerRuntime extends ContainerRuntime {
  /** The pod network as seen from a pod (for tests and diagnostics). */
  readonly network: VirtualNetwork;
  /**
   * Runs a command in a running container without a stream (probes, tests): what exec would
   * print, or undefined when the container is not running.
   */
  execInContainer(pod: KubeObj, container: string, command: string[], stdin?: string): Promise<ExecOutput | undefined>;
  /** The current instance's log of a container (tests wait on it), undefined when never started. */
  logOf(pod: KubeObj, container: string): ContainerLog | undefined;
  /** Stops every container and unsubscribes from faults. */
  dispose(): void;
}

export function createContainerRuntime(view: ClusterView, options: ContainerRuntimeOptions = {}): SimContainerRuntime {
  const registry = new ContainerRegistry();
  const network = createVirtualNetwork(view, registry);
  const timing = { timeoutScale: options.timeoutScale ?? DEFAULT_TIMEOUT_SCALE };
  const currentPod = (namespace: string, name: string): KubeObj | undefined => view.store.get('pods', namespace, name);

  return {
    network,
    startContainer(pod, container) {
      const spec = containerSpec(pod, container);
      if (!spec) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name} has no container ${container}`);
      const instance = new ContainerInstance(
        { view, network, timing },
        pod,
        spec,
        selectImage(spec.image, options.images),
      );
      registry.add(pod, instance);
      const namespace = pod.metadata.namespace ?? 'default';
      instance.start((code, reason, message) =>
        view.onContainerExit(namespace, pod.metadata.name, container, code, reason, message),
      );
    },
    stopContainer(pod, container) {
      registry.stop(pod, container);
    },
    terminateContainer(pod, container, onExited) {
      const instance = registry.find(pod, container)?.current;
      if (!instance?.isRunning || instance.podUid !== pod.metadata.uid) return onExited();
      instance.onEnd(onExited);
      // What containerd does on StopContainer: the stop signal (TERM) to PID 1, which may ignore it.
      instance.ctx.processes.get(1)?.deliver('TERM');
    },
    handleExec(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest) {
      const pod = currentPod(exec.namespace, exec.pod);
      const attach = /\/attach(\?|$)/.test(req.url ?? '');
      void (attach ? handleAttach : handleExec)(view, registry, req, socket, head, pod, exec);
    },
    handleLogs(_req: IncomingMessage, res: ServerResponse, pod: KubeObj, container: string, query: URLSearchParams) {
      handleLogs(view, registry, res, pod, container, query);
    },
    handlePortForward(req, socket, head, pod, ports, options = { spdyTunnel: true }) {
      void handlePortForward(view, registry, req, socket, head, pod, ports, options);
    },
    async execInContainer(pod, container, command, stdin) {
      const instance = registry.find(pod, container)?.current;
      if (!instance?.isRunning) return undefined;
      const { io, output } = capturedIo(stdin);
      const result = await instance.runner.run(command, io, new AbortController().signal);
      return { ...output(), exitCode: result.kind === 'exited' ? result.code : undefined };
    },
    probe: (pod, container, probe, timeoutMs) => runProbe(registry, pod, container, probe, timeoutMs),
    logOf: (pod, container) => registry.find(pod, container)?.current?.log,
    dispose() {
      registry.stopAll();
      network.dispose();
    },
  };
}
