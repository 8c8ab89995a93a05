/** Minimal typed client of the kubeproof API, over an injectable fetch (tests pass the app's). */
import type { z } from '@hono/zod-openapi';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A problem+json answer from the kubeproof API, as the CLI reports it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** The CLI's client of the kubeproof HTTP API. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: Fetch,
    private readonly token?: string,
  ) {}

  async request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ) {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await this.fetchFn(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (res.status >= 400) {
      const text = await res.text();
      let problem: { code?: string; detail?: string; errors?: Array<{ path: string; message: string }> } = {};
      try {
        problem = JSON.parse(text);
      } catch {
        // not a problem document: show the status only
      }
      const fields = problem.errors?.map((e) => `\n  ${e.path}: ${e.message}`).join('') ?? '';
      throw new ApiProblem(
        res.status,
        problem.code ?? 'http_error',
        `${problem.detail ?? `HTTP ${res.status}`}${fields}`,
      );
    }
    return res;
  }

  /** The answer's JSON body, checked against the schema the API documents for it. */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    init: Parameters<ApiClient['request']>[2] = {},
  ): Promise<z.output<S>> {
    const res = await this.request(method, path, init);
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(
        `${method} ${path} answered a body kubeproof does not understand (${first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid'}): is the server a kubeproof of the same version?`,
      );
    }
    return parsed.data;
  }
}

/** Reads an SSE response, calling onEvent per event (comments skipped); resolves when the stream ends. */
export async function readSse(
  res: Response,
  onEvent: (event: string, data: string, id: string | undefined) => void,
): Promise<void> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      const id = lines
        .find((l) => l.startsWith('id:'))
        ?.slice(3)
        .trim();
      // A block of comments only (`: heartbeat`) carries no event.
      if (lines.some((l) => l.startsWith('data:'))) onEvent(event, data, id);
      end = buffer.indexOf('\n\n');
    }
  }
}
