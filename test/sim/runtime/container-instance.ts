/**
 * One run of one container (a restart makes a new instance): its emulated main process, its
 * PID namespace, the ports it listens on, and its log. Reports to the kubelet (view) when the
 * main process ends by itself.
 */

import { createProgramRunner, type PortTable, type ProgramRunner } from '../containers/process-runner.js';
import { createProcessTable } from '../containers/process-table.js';
import type { ContainerContext, EmulatedImage } from '../containers/types.js';
import type { ClusterView, KubeObj } from '../contracts.js';
import { clusterDnsAnswer, type SimTiming, type VirtualNetwork } from '../network/index.js';
import { ContainerLog } from './container-log.js';
import { type ContainerSpec, containerEnv, containerFiles, podHostname, resolveArgv } from './container-setup.js';
import { noStdin, StdinPipe } from './stdin-pipe.js';

export interface InstanceDeps {
  view: ClusterView;
  network: VirtualNetwork;
  timing: SimTiming;
}

export class ContainerInstance {
  readonly log = new ContainerLog();
  readonly ports: PortTable = { tcp: new Map(), dns: new Map() };
  readonly runner: ProgramRunner;
  readonly ctx: ContainerContext;
  readonly podUid: string;
  /** The main process's stdin, when the spec asks for one (`stdin: true`), fed by attach. */
  readonly stdin: StdinPipe | undefined;
  readonly argv: string[];
  private readonly stopper = new AbortController();
  private ended = false;
  private readonly endListeners: Array<() => void> = [];

  constructor(
    deps: InstanceDeps,
    pod: KubeObj,
    readonly spec: ContainerSpec,
    readonly image: EmulatedImage,
  ) {
    const { view } = deps;
    const namespace = pod.metadata.namespace ?? 'default';
    const podName = pod.metadata.name;
    this.podUid = pod.metadata.uid ?? '';
    const nodeName: string = pod.spec?.nodeName ?? '';
    const podIp = () => view.store.get('pods', namespace, podName)?.status?.podIP ?? pod.status?.podIP ?? '';
    this.ctx = {
      namespace,
      podName,
      containerName: spec.name,
      hostname: podHostname(pod),
      nodeName,
      image: spec.image,
      podIp,
      env: containerEnv(view, pod, spec),
      files: containerFiles(view, pod),
      network: deps.network.forPod({ namespace, name: podName, nodeName, podIp }),
      timing: deps.timing,
      processes: createProcessTable(),
      etcdctl: (args, stdin) => view.etcdctl(args, stdin),
      clusterDns: (question) => clusterDnsAnswer(view, question),
      faults: view.faults,
    };
    this.runner = createProgramRunner(image, this.ctx, this.ports);
    this.stdin = spec.stdin ? new StdinPipe() : undefined;
    this.argv = resolveArgv(spec, image);
  }

  get isRunning(): boolean {
    return !this.ended;
  }

  /** Starts the main process; `onExit` hears about it ending by itself (not through stop()). */
  start(onExit: (code: number, reason: string, message?: string) => void): void {
    const io = {
      stdout: (d: string | Buffer) => this.log.write('stdout', d),
      stderr: (d: string | Buffer) => this.log.write('stderr', d),
      readStdin: this.stdin ? (complete?: (data: Buffer) => boolean) => this.stdin!.read(complete) : noStdin,
    };
    const anyMain = this.image.anyMain;
    void this.runner
      .run(this.argv, io, this.stopper.signal, { pid1: true, ...(anyMain ? { program: anyMain } : {}) })
      .then((result) => {
        if (this.stopper.signal.aborted) return;
        if (result.kind === 'not-found') {
          this.log.write('stderr', `exec: "${result.name}": executable file not found in $PATH\n`);
          this.finish();
          // What containerd reports when runc cannot exec the entrypoint (the container never ran).
          onExit(
            128,
            'StartError',
            `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${result.name}": executable file not found in $PATH: unknown`,
          );
          return;
        }
        this.finish();
        onExit(result.code, result.code === 0 ? 'Completed' : 'Error');
      });
  }

  /** The kubelet stops the container (pod deleted, restart): no exit report. */
  stop(): void {
    this.stopper.abort();
    this.finish();
  }

  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.ports.tcp.clear();
    this.ports.dns.clear();
    this.log.end();
    for (const listener of this.endListeners.splice(0)) listener();
  }
}
