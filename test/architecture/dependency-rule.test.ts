/**
 * The dependency rule (.dependency-cruiser.cjs, run by `npm run lint`) fails on deliberately
 * wrong imports: a tree laid out like the repository, with one broken import per rule.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyViolations } from '../../scripts/check-deps.js';

const tree = mkdtempSync(path.join(tmpdir(), 'kubeproof-deps-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function file(relative: string, text: string) {
  mkdirSync(path.dirname(path.join(tree, relative)), { recursive: true });
  writeFileSync(path.join(tree, relative), text);
}

describe('dependency rule', () => {
  it('names every broken rule with the offending import', async () => {
    file('src/routes/audits/schema.ts', 'export const x = 1;\n');
    file('src/db/store.ts', 'export const store = 1;\n');
    file('src/engine/service/runner.ts', 'export const runner = 1;\n');
    file('src/kernel/clock.ts', "import { store } from '../db/store.js';\nexport const c = store;\n");
    file('src/report/model.ts', "import { x } from '../routes/audits/schema.js';\nexport const m = x;\n");
    file('src/checks/smoke/a.ts', "import { store } from '../../db/store.js';\nexport const a = store;\n");
    file(
      'src/checks/smoke/b.ts',
      "import { runner } from '../../engine/service/runner.js';\nexport const b = runner;\n",
    );
    file('test/sim/index.ts', 'export const sim = 1;\n');
    file('src/app.ts', "import { sim } from '../test/sim/index.js';\nexport const app = sim;\n");
    file('src/one.ts', "import { two } from './two.js';\nexport const one = () => two;\n");
    file('src/two.ts', "import { one } from './one.js';\nexport const two = () => one;\n");

    const violations = await dependencyViolations(tree);
    const has = (rule: string, from: string) =>
      expect(
        violations.some((v) => v.startsWith(`${rule}: ${from}`)),
        `${rule} from ${from} in:\n${violations.join('\n')}`,
      ).toBe(true);
    has('report-not-http', 'src/report/model.ts');
    has('checks-not-service', 'src/checks/smoke/a.ts');
    has('checks-not-service', 'src/checks/smoke/b.ts');
    has('kernel-stands-alone', 'src/kernel/clock.ts');
    has('src-not-test', 'src/app.ts');
    has('no-circular', 'src/one.ts');
  }, 120_000);
});
