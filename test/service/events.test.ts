import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

function parseSse(text: string): Array<{ event: string; id?: string; data: string }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      return { event: field('event') ?? 'message', id: field('id'), data: field('data') ?? '' };
    });
}

describe('progress events', () => {
  it('lists events as JSON with done once the run is final', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const events = await call(harness, 'GET', created.body.links.events);
    expect(events.status, events.text).toBe(200);
    expect(events.body.done).toBe(true);
    const messages = events.body.items.map((e: { message: string }) => e.message);
    expect(messages[0]).toBe('Audit queued.');
    expect(messages).toContain('Check dns.service passed: dns.service passed');
    expect(messages.at(-1)).toBe('Audit finished: passed.');
    const later = await call(harness, 'GET', `${created.body.links.events}?after=${events.body.items[2].seq}`);
    expect(later.body.items[0].seq).toBe(events.body.items[3].seq);
  });

  it('streams Server-Sent Events while the run progresses and ends with the final status', async () => {
    const executor = new ScriptedExecutor(
      [
        { id: 'preflight.api', status: 'passed' },
        { id: 'dns.service', status: 'passed' },
      ],
      { holdAfter: 1 },
    );
    harness = createHarness({ executor });
    const held = new Promise<void>((resolve) => {
      executor.onHold = () => resolve();
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await held;
    const response = await harness.app.request(created.body.links.events, { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    // The stream is open while the run is held; cancelling lets it finish, which must end the stream.
    harness.runner.cancel(created.body.id);
    const text = await response.text();
    const events = parseSse(text);
    expect(events.at(-1)?.event, text).toBe('end');
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ id: created.body.id, status: 'cancelled' });
    const progress = events.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data).message);
    expect(progress).toContain('Check preflight.api passed: preflight.api passed');
    expect(progress.at(-1)).toBe('Audit finished: cancelled.');
  });
});
