/**
 * Progress as a pipeline log and a terminal show it, intermediate "waiting for" events from the
 * engine, and a service lost mid-run (report files still written, exit 2).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetch } from '../../src/cli/client.js';
import type { SimCluster } from '../sim/index.js';
import { CliFixture, kubeproof } from './support.js';

const ESC = String.fromCharCode(27);
const fx = new CliFixture();
let slow: SimCluster;
beforeAll(async () => {
  // Pods take 1.5 s to start, as on a real cluster with cached images: there is something to wait for.
  slow = await fx.sim({ latencies: { podStartMs: 1500 } });
});
afterAll(() => fx.close());

describe('progress', () => {
  it('in a pipe: timestamped lines, what the rollout waits for, and a line at least every interval', async () => {
    const r = await kubeproof(
      ['audit', '--kubeconfig', fx.write('slow.kubeconfig', slow.kubeconfig), '--checks', 'workload.rollout'],
      { heartbeatMs: 200 },
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(lines.length).toBeGreaterThan(3);
    expect(r.stderr).toMatch(/workload\.rollout waiting: rollout \d\/3 ready/);
    expect(r.stderr).toMatch(/pulling image \/ creating container on worker-\d/);
    expect(r.stderr).toMatch(/still waiting: workload\.rollout \(\d+s: rollout/);
    expect(r.stderr).not.toContain(`${ESC}[`);
  });

  it('on a terminal: one line per check, a spinner while it runs, redrawn in place', async () => {
    const r = await kubeproof(
      [
        'audit',
        '--kubeconfig',
        fx.write('tty.kubeconfig', slow.kubeconfig),
        '--checks',
        'nodes.ready,workload.rollout',
      ],
      { isTTY: true, columns: 120 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${ESC}[2K`);
    expect(r.stderr).toMatch(new RegExp(`${ESC}\\[\\d+A`));
    expect(r.stderr).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] workload\.rollout\s+running .*rollout \d\/3 ready/);
    expect(r.stderr).toMatch(/✔ nodes\.ready\s+passed/);
    expect(r.stderr).toMatch(/✔ workload\.rollout\s+passed/);
  });

  it('the service lost mid-run: exit 2, every report file written with the reason', async () => {
    const service = await fx.service();
    let lost = false;
    // The service "goes away" once the rollout has reported progress: every later request fails.
    const flaky: Fetch = async (input, init) => {
      if (lost) throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED ${service.url}`) });
      const res = await fetch(input, init);
      if (!String(input).includes('/events') || !res.body) return res;
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          if (
            new TextDecoder().decode(value).includes('waiting') ||
            new TextDecoder().decode(value).includes('rollout')
          ) {
            lost = true;
            await reader.cancel();
            controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
          }
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const xml = fx.path('lost.xml');
    const md = fx.path('lost.md');
    const json = fx.path('lost.json');
    const r = await kubeproof(
      [
        'audit',
        '--kubeconfig',
        fx.write('lost.kubeconfig', slow.kubeconfig),
        '--server',
        service.url,
        '--checks',
        'workload.rollout',
        '--junit',
        xml,
        '--markdown',
        md,
        '--json',
        json,
      ],
      { fetch: flaky },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('reconnecting');
    expect(r.stderr).toContain('lost the kubeproof service mid-run');
    expect(readFileSync(xml, 'utf8')).toMatch(
      /<error message="lost the kubeproof service mid-run[^"]*" type="unreachable"/,
    );
    expect(readFileSync(md, 'utf8')).toContain('lost the kubeproof service mid-run');
    expect(JSON.parse(readFileSync(json, 'utf8')).audit.status).toBe('error');
  });
});
