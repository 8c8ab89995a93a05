import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { commonErrorResponses } from './responses.js';
import { bearerSecurity } from './router.js';

/** Every `/v1` operation names a stable camelCase operationId: generated clients' method names. */
type V1RouteConfig = Omit<RouteConfig, 'security' | 'tags' | 'operationId'> & { tag: string; operationId: string };

/**
 * `createRoute` for a `/v1` route: its tag, the bearer security requirement and the shared
 * problem responses, so each route file states only what is its own.
 * @example v1Route({ tag: 'audits', method: 'get', path: '/v1/audits/{id}', summary: 'Get an audit', responses: { 200: ... } })
 */
export function v1Route<P extends string, R extends V1RouteConfig & { path: P }>({ tag, ...config }: R) {
  return createRoute({
    ...config,
    tags: [tag],
    security: bearerSecurity,
    responses: { ...commonErrorResponses, ...config.responses } as typeof commonErrorResponses & R['responses'],
  });
}
