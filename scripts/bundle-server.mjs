// After `tsc`: dist/server.js (what `npm start` and the image run) becomes one bundled module
// with our code and the pure-JavaScript packages every start loads. Node 20 resolves, reads and
// compiles each of the ~620 modules of the unbundled graph on its own, which was most of the time
// to /healthz. Code loaded later (the cluster client, etcd) stays in lazily imported chunks, and
// every other package stays external, loaded from node_modules as before: native ones
// (better-sqlite3), and ones that read their own files at run time (swagger-ui-dist's assets,
// etcd3's .proto files). The rest of dist/ (library, CLI, declarations) is tsc's output as is.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

if (process.argv.length > 2) {
  process.stdout.write('Usage: node scripts/bundle-server.mjs   (run by npm run build, after tsc)\n');
  process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
}

/** Packages bundled: what the service loads at every start, plain JavaScript reading no files of its own. */
const BUNDLED = new Set([
  'hono',
  '@hono/node-server',
  '@hono/zod-openapi',
  '@hono/zod-validator',
  '@asteasolutions/zod-to-openapi',
  'zod',
  'drizzle-orm',
  'prom-client',
  '@opentelemetry/api',
  'tdigest',
  'bintrees',
  'yaml',
]);

const packageOf = (specifier) => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

const externalUnlessBundled = {
  name: 'external-unless-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || BUNDLED.has(packageOf(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist/server-chunks', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/server.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'server-chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  plugins: [externalUnlessBundled],
  // CommonJS packages in an ES module bundle call require() for node built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
