import { accessLog } from './http/access-log.js';
import { bearerAuth } from './http/auth.js';
import { limitBody } from './http/body-limit.js';
import type { AppDeps } from './http/env.js';
import { ApiError } from './http/errors.js';
import { handleError, problemResponse } from './http/problem.js';
import { newRouter, type Router } from './http/router.js';
import { DEFAULT_EVENT_STREAMS_PER_TENANT, StreamSlots } from './http/stream-slots.js';
import { registerAuditRoutes } from './routes/audits/index.js';
import { registerListChecks } from './routes/checks/list.js';
import { registerDocRoutes } from './routes/docs/index.js';
import { registerHealthRoutes } from './routes/health/index.js';
import { registerMetricsRoute } from './routes/metrics/index.js';
import { registerGetRbac } from './routes/rbac/get.js';

export type { AppDeps } from './http/env.js';

/**
 * Builds the HTTP app around injected dependencies: routes, auth, body limit, the single
 * problem+json error handler, the OpenAPI document and the docs UI.
 * @example const app = createApp({ store, runner, catalog, clock, logger, settings: { apiTokens: [], bodyLimitBytes: 1 << 20 } })
 */
export function createApp(deps: AppDeps): Router {
  const app = newRouter();
  const streamSlots = new StreamSlots(deps.settings.maxEventStreamsPerTenant ?? DEFAULT_EVENT_STREAMS_PER_TENANT);
  app.use('*', async (c, next) => {
    c.set('streamSlots', streamSlots);
    c.set('store', deps.store);
    c.set('runner', deps.runner);
    c.set('catalog', deps.catalog);
    c.set('clock', deps.clock);
    c.set('logger', deps.logger);
    c.set('outbound', deps.outbound);
    c.set('metrics', deps.metrics);
    c.set('settings', deps.settings);
    await next();
  });
  app.use('*', accessLog());
  app.onError(handleError);
  app.notFound((c) =>
    problemResponse(c, new ApiError('not_found', { detail: `No route for ${c.req.method} ${c.req.path}.` })),
  );
  app.use('/v1/*', bearerAuth(deps.settings.apiTokens));
  app.use('/v1/*', limitBody(deps.settings.bodyLimitBytes));

  registerHealthRoutes(app);
  registerMetricsRoute(app, deps.settings.metricsToken);
  registerAuditRoutes(app);
  registerListChecks(app);
  registerGetRbac(app);
  registerDocRoutes(app);
  return app;
}
