/** agnhost netexec as the web pods run it: endpoints, --http-override, klog log lines. */
import { afterEach, describe, expect, it } from 'vitest';
import { waitForLogLine } from '../runtime/test-support/fake-cluster.js';
import { AGNHOST, createSmokeCluster, type SmokeCluster } from '../runtime/test-support/smoke-cluster.js';

const WEB_IP = '10.200.0.6';
const WEB = 'web-578474b6fc-8rsb8';

describe('agnhost netexec', () => {
  let cluster: SmokeCluster;
  afterEach(() => cluster?.dispose());
  const get = (path: string, ip = WEB_IP) => cluster.client(['wget', '-qO-', `http://${ip}:8080${path}`]);
  const logText = (pod = WEB) =>
    cluster.runtime
      .logOf(cluster.store.get('pods', 'default', pod)!, 'web')!
      .entries.map((e) => e.text)
      .join('');

  it('answers /hostname with the pod name and logs it in klog format', async () => {
    cluster = createSmokeCluster();
    expect((await get('/hostname')).stdout).toBe(WEB);
    const lines = logText().split('\n');
    expect(lines[0]).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 log\.go:245\] Started HTTP server on port 8080$/);
    expect(lines.slice(-3, -1).map((l) => l.replace(/^.*\] /, ''))).toEqual(['GET /hostname', `hostname: ${WEB}`]);
  });

  it('answers / with NOW: and a Go time, /echo with its msg, and every other path with the root handler', async () => {
    cluster = createSmokeCluster();
    expect((await get('/')).stdout).toMatch(/^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}$/);
    expect((await get('/echo?msg=hello')).stdout).toBe('hello');
    expect((await get('/clientip')).stdout).toMatch(/^10\.200\.0\.9:\d+$/);
    // Go's ServeMux: "/" matches every path no other pattern does (netexec.go rootHandler).
    expect((await get('/nosuch')).stdout).toMatch(/^NOW: /);
    const said = logText()
      .split('\n')
      .map((l) => l.replace(/^.*\] /, ''));
    expect(said).toContain('GET /echo?msg=hello&code=');
    expect(said.filter((l) => l === 'GET /')).toHaveLength(2);
  });

  it('refuses an unknown flag as cobra does and exits 1, so a wrong command crash-loops', async () => {
    cluster = createSmokeCluster({ webArgs: ['netexec', '--http-port=8080', '--bogus'] });
    expect(await cluster.nextExit()).toMatchObject({ pod: WEB, exitCode: 1, reason: 'Error' });
    expect(logText()).toContain('Error: unknown flag: --bogus\n');
  });

  it('runs /shell commands and ends the container on /exit', async () => {
    cluster = createSmokeCluster();
    expect((await get('/shell?shellCommand=hostname')).stdout).toBe(JSON.stringify({ output: `${WEB}\n` }));
    await get('/exit?code=7');
    expect(await cluster.nextExit()).toMatchObject({ pod: WEB, exitCode: 7, reason: 'Error' });
  });

  it('with --http-override=/hostname treats every request as GET /hostname', async () => {
    cluster = createSmokeCluster();
    const pod = cluster.runPod({
      name: 'locked',
      node: 'worker-0',
      ip: '10.200.0.30',
      containers: [{ name: 'web', image: AGNHOST, args: ['netexec', '--http-port=8080', '--http-override=/hostname'] }],
    });
    await waitForLogLine(cluster.runtime, pod, 'web', 'Started HTTP server');
    expect((await get('/shell?shellCommand=id', '10.200.0.30')).stdout).toBe('locked');
    expect((await get('/exit', '10.200.0.30')).stdout).toBe('locked');
    expect(logText('locked')).toContain('GET /hostname\n');
    expect(logText('locked')).not.toContain('/shell');
    expect(cluster.exits).toEqual([]);
  });
});
