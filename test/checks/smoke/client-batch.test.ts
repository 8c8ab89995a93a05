/**
 * The batch framing (src/checks/smoke/shared/client-batch.ts): run in the simulated busybox
 * client it gives back, per command, exactly what one exec of that command gives; run by a real
 * POSIX shell (`/bin/sh`, with `wget` a shell function printing busybox's messages, no network)
 * it prints the frames the parser reads.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWget } from '../../../src/checks/smoke/parsers/wget.js';
import { wgetCommand } from '../../../src/checks/smoke/shared/client.js';
import {
  batchScript,
  type ClientCommand,
  parseBatch,
  shellQuote,
} from '../../../src/checks/smoke/shared/client-batch.js';
import { createSmokeCluster, type SmokeCluster, WEB_PODS } from '../../sim/runtime/test-support/smoke-cluster.js';

const NONCE = '--kubeproof-0123456789ab--';
const [local, remote] = [WEB_PODS[0]!, WEB_PODS[1]!]; // worker-0 (the client's node), worker-1

describe('one exec for many client commands, in the simulated busybox', () => {
  let cluster: SmokeCluster;
  // Routing between nodes dropped: a call to worker-1's pod waits out wget -T.
  beforeAll(() => {
    cluster = createSmokeCluster({ faults: ['cni-cross-node'] });
  });
  afterAll(() => cluster.dispose());

  const commands: Array<[string, ClientCommand]> = [
    ['answer', wgetCommand(`http://${local.ip}:8080/hostname`, 1)],
    ['answer again (a loop)', wgetCommand(`http://${local.ip}:8080/hostname`, 1)],
    ['timeout', wgetCommand(`http://${remote.ip}:8080/hostname`, 1)],
    ['refused', wgetCommand(`http://${local.ip}:8081/hostname`, 1)],
    ['dns failure', wgetCommand('http://nosuch/hostname', 1)],
    ['nslookup', ['nslookup', 'web.default.svc.cluster.local']],
    ['cat', ['cat', '/etc/resolv.conf']],
  ];

  it('returns each command as its own exec returns it, with the same verdict of the wget parser', async () => {
    const batch = await cluster.shell(
      batchScript(
        NONCE,
        commands.map(([, c]) => c),
      ),
    );
    const parsed = parseBatch(NONCE, commands.length, { ...batch, exitCode: batch.exitCode ?? -1 });
    for (const [i, [what, command]] of commands.entries()) {
      const alone = await cluster.client([...command]);
      expect(parsed[i], what).toEqual({ ...alone, exitCode: alone.exitCode ?? -1 });
    }
    const outcomes = parsed.slice(0, 5).map(parseWget);
    expect(outcomes.map((o) => (o.ok ? `body ${o.body}` : o.failure))).toEqual([
      `body ${local.name}`,
      `body ${local.name}`,
      'timeout',
      'refused',
      'bad-address',
    ]);
  });

  it('writes a run of identical commands as one bounded for loop', () => {
    const script = batchScript(NONCE, [commands[0]![1], commands[1]![1], commands[2]![1]]);
    expect(script.split('\n')[0]).toMatch(/^for i in 0 1; do 'wget' /);
    expect(script.split('\n')).toHaveLength(2);
  });

  it('says how far the shell got when a frame is missing (never a verdict)', () => {
    const cut = { stdout: `web-1\n${NONCE} 0 0\nweb-`, stderr: `\n${NONCE} 0 0\n`, exitCode: 137 };
    expect(() => parseBatch(NONCE, 2, cut)).toThrow(/stopped after 1 of 2 command\(s\) \(exit 137\)/);
  });
});

/** busybox 1.36 wget's messages (networking/wget.c, libbb xconnect.c), printed by a stub function. */
const STUB_WGET = `n=0
wget() {
  n=$((n+1))
  case $n in
    1) printf '%s' web-1 ;;
    2) echo 'wget: download timed out' >&2; return 1 ;;
    3) echo "wget: can't connect to remote host (10.96.0.1): Connection refused" >&2; return 1 ;;
    *) echo "wget: bad address 'web'" >&2; return 1 ;;
  esac
}
`;

describe('the same script in a real POSIX shell', () => {
  it('prints the frames the parser reads, per outcome', async () => {
    const url = 'http://10.96.0.1/hostname';
    const script = batchScript(NONCE, Array(4).fill(wgetCommand(url, 5)));
    const run = await promisify(execFile)('/bin/sh', ['-c', STUB_WGET + script]);
    const parsed = parseBatch(NONCE, 4, { stdout: run.stdout, stderr: run.stderr, exitCode: 0 });
    expect(parsed).toEqual([
      { stdout: 'web-1', stderr: '', exitCode: 0 },
      { stdout: '', stderr: 'wget: download timed out\n', exitCode: 1 },
      { stdout: '', stderr: "wget: can't connect to remote host (10.96.0.1): Connection refused\n", exitCode: 1 },
      { stdout: '', stderr: "wget: bad address 'web'\n", exitCode: 1 },
    ]);
    expect(parsed.map(parseWget).map((o) => (o.ok ? o.body : o.failure))).toEqual([
      'web-1',
      'timeout',
      'refused',
      'bad-address',
    ]);
  });

  it('quotes words so the shell passes them through unchanged', async () => {
    const word = `it's $HOME "and" \\n`;
    const run = await promisify(execFile)('/bin/sh', ['-c', `printf '%s\\n' ${shellQuote(word)}`]);
    expect(run.stdout).toBe(`${word}\n`);
  });
});
