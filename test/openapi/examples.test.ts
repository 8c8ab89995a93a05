/**
 * Every problem+json response of the document has examples, and each example matches the
 * response it documents: the status and the code's status are the response's, and the body is a
 * valid Problem.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/http/errors.js';
import { ProblemSchema } from '../../src/http/problem.js';
import { createHarness } from '../service/harness.js';

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, Media> }>;
}

async function document(): Promise<{ paths: Record<string, Record<string, Operation>> }> {
  const harness = createHarness();
  try {
    return (await (await harness.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
  } finally {
    await harness.close();
  }
}

describe('OpenAPI error examples', () => {
  it('each problem response has examples whose status and code match that response', async () => {
    const doc = await document();
    let checked = 0;
    for (const [route, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, response] of Object.entries(op.responses)) {
          const media = response.content?.['application/problem+json'];
          if (!media) continue;
          const where = `${method.toUpperCase()} ${route} ${status}`;
          expect(Object.keys(media.examples ?? {}).length, where).toBeGreaterThan(0);
          for (const [name, example] of Object.entries(media.examples ?? {})) {
            const parsed = ProblemSchema.safeParse(example.value);
            expect(parsed.success, `${where} ${name}: ${parsed.error?.message}`).toBe(true);
            const value = parsed.data;
            expect(value?.status, `${where} ${name}`).toBe(Number(status));
            expect(ERROR_CODES[value?.code as ErrorCode].status, `${where} ${name}`).toBe(Number(status));
            expect(value?.type).toBe(`urn:kubeproof:problem:${value?.code}`);
            expect(name).toBe(value?.code);
            checked++;
          }
        }
    expect(checked).toBeGreaterThan(40);
  });

  it("the report's JSON 200 is the AuditReport; JUnit and Markdown are strings", async () => {
    const doc = await document();
    const ok = doc.paths['/v1/audits/{id}/report']?.get?.responses['200']?.content ?? {};
    expect(ok['application/json']?.schema?.$ref).toBe('#/components/schemas/AuditReport');
    expect(ok['application/xml']?.schema).toMatchObject({ type: 'string' });
    expect(ok['text/markdown']?.schema).toMatchObject({ type: 'string' });
  });
});
