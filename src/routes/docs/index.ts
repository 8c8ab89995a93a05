import type { Router } from '../../http/router.js';
import { registerSwaggerUi } from './swagger-ui.js';

export const OPENAPI_PATH = '/openapi.json';

/** The OpenAPI header; the paths and components come from the routes. */
export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'kubeproof',
    version: '0.1.0',
    description:
      'Proves a Kubernetes cluster really works: submit a kubeconfig, kubeproof runs a smoke suite and an encryption-at-rest ' +
      'check in the background, and every observation names the component it confirms and the guide chapter that built it.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    contact: { name: 'kubeproof contributors', url: 'https://github.com/kubeproof/kubeproof/issues' },
  },
  servers: [
    { url: 'http://127.0.0.1:8080', description: 'The service as `npm start` runs it (HOST and PORT move it)' },
  ],
  tags: [
    { name: 'audits', description: 'Submit, follow and read audits' },
    { name: 'checks', description: 'The check catalog and the RBAC it needs' },
    { name: 'health', description: 'Liveness and readiness' },
  ],
};

/** `GET /openapi.json` (OpenAPI 3.1 from the routes) and `GET /docs` (Swagger UI, served offline, loading it). */
export function registerDocRoutes(app: Router): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'One of KUBEPROOF_API_TOKENS; required on /v1 when the server has tokens configured.',
  });
  app.doc31(OPENAPI_PATH, OPENAPI_CONFIG);
  registerSwaggerUi(app, OPENAPI_PATH);
}
