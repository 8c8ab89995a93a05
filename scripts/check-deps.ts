/**
 * The dependency rule (`.dependency-cruiser.cjs`), checked by `npm run lint`. It calls
 * dependency-cruiser's API rather than its CLI, whose start-up check refuses Node 20, which
 * kubeproof supports. Exit status 1 and one line per violation when a rule is broken.
 * @example npx tsx scripts/check-deps.ts            # the repository
 * @example npx tsx scripts/check-deps.ts --base DIR # another tree laid out like it (the rule's test)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');

/** Violations of the repository's rules in the `src/` tree under `base` (default: this repository). */
export async function dependencyViolations(base = ROOT): Promise<string[]> {
  const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
  const cwd = process.cwd();
  // dependency-cruiser resolves paths against the working directory: rules name `^src/`.
  process.chdir(base);
  try {
    const result = await cruise(['src'], {
      ...config.options,
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
      tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') },
    });
    const output = result.output as ICruiseResult;
    return (output.summary.violations ?? []).map(
      (v) =>
        `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
    );
  } finally {
    process.chdir(cwd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseFlag = process.argv.indexOf('--base');
  const base = baseFlag >= 0 ? path.resolve(process.argv[baseFlag + 1] ?? '.') : ROOT;
  const violations = await dependencyViolations(base);
  if (violations.length > 0) {
    console.error(`dependency rule broken (${violations.length}); see .dependency-cruiser.cjs:`);
    for (const v of violations) console.error(`  ${v}`);
    process.exit(1);
  }
  console.log('dependency rule: no violations');
}
