/**
 * `GET /docs`: Swagger UI served entirely by kubeproof, from the swagger-ui-dist npm package (its
 * version pinned in package.json), so the page works on an air-gapped network: the HTML names
 * only this service's own paths, the initializer is a file (no inline script, so the page's CSP
 * can forbid inline scripts and every other origin), and the online validator badge is off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Router } from '../../http/router.js';

export const DOCS_PATH = '/docs';

/** The package files the page loads, with their content types. */
const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
type Asset = keyof typeof ASSETS;

/** swagger-ui-dist's directory and version, resolved once (it is a runtime dependency). */
function swaggerUiDist(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('swagger-ui-dist/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
  return { dir: path.dirname(pkgPath), version: pkg.version };
}

/**
 * The initializer: loads this service's document and points "Try it out" at the origin the page
 * was served from (the document's `servers` name the default address, which a service on
 * another host or port is not).
 */
export function initializerScript(openapiPath: string): string {
  return `"use strict";
window.addEventListener('load', function () {
  fetch(${JSON.stringify(openapiPath)}, { headers: { accept: 'application/json' } })
    .then(function (res) { return res.json(); })
    .then(function (spec) {
      spec.servers = [{ url: window.location.origin, description: 'This service' }];
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: '#swagger-ui',
        deepLinking: true,
        validatorUrl: null,
        tryItOutEnabled: false,
        persistAuthorization: false,
      });
    })
    .catch(function (err) {
      document.getElementById('swagger-ui').textContent = 'Could not load ' + ${JSON.stringify(openapiPath)} + ': ' + err;
    });
});
`;
}

export function docsPage(version: string): string {
  const asset = (name: string) => `${DOCS_PATH}/assets/${version}/${name}`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>kubeproof API</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="swagger-ui-dist ${version}">
    <link rel="stylesheet" href="${asset('swagger-ui.css')}">
    <link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${asset('swagger-ui-bundle.js')}"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;
}

/**
 * Only this origin; Swagger UI styles elements inline and draws icons as data: URLs. `connect-src
 * 'self'` keeps "Try it out" on this service.
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function registerSwaggerUi(app: Router, openapiPath: string): void {
  let dist: { dir: string; version: string } | undefined;
  const files = new Map<Asset, Buffer>();
  const load = () => {
    dist ??= swaggerUiDist();
    return dist;
  };

  app.get(DOCS_PATH, (c) => {
    c.header('content-security-policy', CSP);
    c.header('x-content-type-options', 'nosniff');
    return c.html(docsPage(load().version));
  });
  app.get(`${DOCS_PATH}/init.js`, (c) =>
    c.body(initializerScript(openapiPath), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'x-content-type-options': 'nosniff',
    }),
  );
  app.get(`${DOCS_PATH}/assets/:version/:file`, (c) => {
    const { version, file } = c.req.param();
    const { dir, version: current } = load();
    if (version !== current || !Object.hasOwn(ASSETS, file)) return c.notFound();
    const name = file as Asset;
    let body = files.get(name);
    if (!body) {
      body = readFileSync(path.join(dir, name));
      files.set(name, body);
    }
    // The URL carries the version, so a browser may keep it for good.
    return c.body(new Uint8Array(body), 200, {
      'content-type': ASSETS[name],
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
}
