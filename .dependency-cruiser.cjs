/**
 * The layering rules `npm run lint` enforces (dependency-cruiser). Paths are relative to the
 * repository root; test/architecture/dependency-rule.test.ts shows each rule failing on a
 * deliberately wrong import.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'report-not-http',
      comment: 'Rendering a report does not depend on HTTP: src/report/ never imports src/routes/ or src/http/.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/(routes|http)/' },
    },
    {
      name: 'checks-not-service',
      comment:
        'Checks observe the cluster through ClusterAccess only: never the HTTP layer, the database or the audit service.',
      severity: 'error',
      from: { path: '^src/checks/' },
      to: { path: '^src/(http|routes|db|engine/service)/|^src/(app|server)\\.ts$' },
    },
    {
      name: 'kernel-stands-alone',
      comment: 'src/kernel/ holds the shared types and lists: it imports nothing else of kubeproof.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'src-not-test',
      comment: 'The product never imports the tests or the simulated cluster.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles between files.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
