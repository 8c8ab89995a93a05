/**
 * What an emulated container image is made of: the programs on its filesystem (looked up by
 * name as `execve` would through $PATH) and the main process the kubelet starts.
 */
import type { Duplex } from 'node:stream';
import type { FaultSet } from '../contracts.js';
import type { SimTiming } from '../network/timing.js';

export type SignalName = 'TERM' | 'KILL' | 'INT' | 'HUP' | 'QUIT' | 'USR1' | 'USR2';

export interface ProcessIo {
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /**
   * All of stdin up to EOF (empty when the caller attached none), or, with `complete`, as soon as
   * what arrived is a whole input (a program that reads line by line, like `etcdctl txn`, stops
   * reading there and needs no EOF).
   */
  readStdin(complete?: (data: Buffer) => boolean): Promise<Buffer>;
}

/** A DNS question and answer as the emulation needs them (no wire format inside the sim). */
export interface DnsQuestion {
  name: string;
  type: 'A' | 'AAAA';
}
export interface DnsReply {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  /** Authoritative-answer bit: busybox prints `Non-authoritative answer:` when it is clear. */
  authoritative: boolean;
  answers: Array<{ name: string; type: 'A' | 'AAAA'; address: string }>;
}

/** Why a connection attempt did not connect, as the client's kernel sees it. */
export type NotConnected =
  /** RST or ICMP port-unreachable: nothing listens, or a REJECT rule. */
  | { kind: 'refused' }
  /** Packets vanish: the client waits for its own time-out. */
  | { kind: 'dropped' };

export type ConnectOutcome = { kind: 'connected'; socket: Duplex } | NotConnected;
export type DnsOutcome = { kind: 'reply'; reply: DnsReply } | NotConnected;

/** The network as seen from inside one pod's network namespace. */
export interface PodNetwork {
  connectTcp(ip: string, port: number): Promise<ConnectOutcome>;
  queryDns(serverIp: string, serverPort: number, question: DnsQuestion): Promise<DnsOutcome>;
}

export interface RemoteAddress {
  ip: string;
  port: number;
}
export type ConnectionHandler = (socket: Duplex, remote: RemoteAddress) => void;
export type DnsHandler = (question: DnsQuestion) => Promise<DnsReply> | DnsReply;

/** Where a container runs and what it can reach. */
export interface ContainerContext {
  namespace: string;
  podName: string;
  containerName: string;
  hostname: string;
  nodeName: string;
  image: string;
  /** The pod IP as the kubelet reported it (may be '' before the sandbox has one). */
  podIp(): string;
  /** The container's environment, in the order the runtime sets it. */
  env: ReadonlyArray<readonly [string, string]>;
  /** The container filesystem's files we emulate (/etc/hosts, /etc/resolv.conf, what wget saved). */
  files: Map<string, string>;
  network: PodNetwork;
  timing: SimTiming;
  /** Processes of this container, by PID (1 is the main process). */
  processes: ProcessTable;
  etcdctl(args: string[], stdin?: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** What CoreDNS's kubernetes plugin would answer (it watches the API; we read the store). */
  clusterDns(question: DnsQuestion): DnsReply;
  /**
   * The simulation's faults, for the images whose own process is what a fault breaks (a
   * control-plane component that fails on start); optional so image tests need no fault set.
   */
  faults?: Pick<FaultSet, 'has' | 'onChange'>;
}

/** One running process: what `kill` can reach. */
export interface ProcessHandle {
  pid: number;
  argv: string[];
  deliver(signal: SignalName): void;
}

export interface ProcessTable {
  get(pid: number): ProcessHandle | undefined;
  list(): ProcessHandle[];
  /** Registers a process and returns its PID; call the returned release when it ends. */
  spawn(argv: string[], deliver: (signal: SignalName) => void): { pid: number; release(): void };
}

/** A running program: its arguments, I/O, and how it learns about signals. */
export interface ProcessEnv {
  ctx: ContainerContext;
  argv: string[];
  io: ProcessIo;
  /** Aborts when the process is killed from outside (exec stream closed, container stopped). */
  signal: AbortSignal;
  pid: number;
  /** Signals sent to this process (by `kill`), after PID 1's protection was applied. */
  /** Installs a handler; it returns true when it handled the signal (else the default action applies). */
  onSignal(listener: (signal: SignalName) => boolean): void;
  /** Listens on a TCP port of the pod network namespace (until the process ends). */
  listenTcp(port: number, handler: ConnectionHandler): void;
  listenDns(port: number, handler: DnsHandler): void;
  /** Runs another program of the same image (a shell's child). Resolves with its exit code. */
  run(argv: string[], io: ProcessIo, signal: AbortSignal): Promise<number>;
  /** Whether `name` is a program this image has (for a shell deciding "not found"). */
  has(name: string): boolean;
}

/** A program on the image: resolves with its exit status. */
export type Program = (proc: ProcessEnv) => Promise<number>;

/** How a main process reacts to a catchable signal when it has no handler of its own. */
export type SignalDisposition = 'ignore-as-pid1' | 'go-runtime';

export interface EmulatedImage {
  /** For messages and tests. */
  id: string;
  matches(image: string): boolean;
  /** ENTRYPOINT and CMD of the image, as Kubernetes combines them with command/args. */
  entrypoint: string[];
  cmd: string[];
  programs: ReadonlyMap<string, Program>;
  /**
   * Go binaries (agnhost, coredns, etcd) die on SIGTERM even as PID 1 because the Go runtime
   * installs handlers; a shell or `sleep` as PID 1 ignores signals it did not trap.
   */
  pid1Signals: SignalDisposition;
  /** For images we do not emulate: the main process just runs, whatever its command. */
  anyMain?: Program;
}
