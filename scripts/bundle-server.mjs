// After `tsc`: dist/server.js (what `npm start` and the image run) becomes one bundled module
// with our code and the JavaScript packages it uses. Node 20 resolves, reads and compiles each of
// the ~620 modules of the unbundled graph on its own, which was most of the time to /healthz; and
// bundling tree-shakes @kubernetes/client-node to what kube/cluster uses (loading the whole package
// took ~65 MB of RSS and ~0.7 s at the first audit, its bundled part ~16 MB and ~0.1 s). Code loaded
// later (the cluster client, etcd) stays in lazily imported chunks. External, loaded from
// node_modules as before: native packages and ones that read their own files at run time.
// The rest of dist/ (library, CLI, declarations) is tsc's output as is.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const USAGE = 'Usage: node scripts/bundle-server.mjs [--outdir DIR]   (run by npm run build, after tsc; DIR: dist)\n';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!(args.length === 0 || (args.length === 2 && args[0] === '--outdir' && args[1]))) {
  process.stderr.write(`bundle-server: unexpected arguments "${args.join(' ')}"\n${USAGE}`);
  process.exit(2);
}
// A test bundles into a directory of its own (test/packaging/bundle.test.ts), leaving dist/ alone.
const outdir = args[1] ?? 'dist';

/**
 * Packages left external: better-sqlite3 (native, through `bindings`), swagger-ui-dist (serves
 * its asset files from its folder), etcd3 (its gRPC client loads .proto files from its folder).
 */
const EXTERNAL = new Set(['better-sqlite3', 'swagger-ui-dist', 'etcd3']);

const packageOf = (specifier) => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      EXTERNAL.has(packageOf(args.path)) ? { path: args.path, external: true } : undefined,
    );
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(resolve(root, outdir, 'server-chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/server.ts'],
  outdir: resolve(root, outdir),
  entryNames: '[name]',
  chunkNames: 'server-chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  plugins: [externalPackages],
  // CommonJS packages in an ES module bundle call require() for node built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
