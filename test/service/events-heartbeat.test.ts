/** The SSE stream keeps an idle connection alive with a comment line, and still ends with the run. */
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

describe('SSE heartbeat', () => {
  it('writes `: heartbeat` while nothing happens, then the end event once the run is cancelled', async () => {
    const executor = new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }], { holdAfter: 0 });
    harness = createHarness({ executor, sseHeartbeatMs: 20 });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const response = await harness.app.request(created.body.links.events, { headers: { accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Read until two heartbeats arrived (the run is held: nothing else would be written).
    while ((text.match(/^: heartbeat$/gm) ?? []).length < 2) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('event: progress');
    await call(harness, 'POST', `${created.body.links.self}/cancel`);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    expect(text).toMatch(/event: end\ndata: \{"id":"[^"]+","status":"cancelled"\}/);
  });
});
