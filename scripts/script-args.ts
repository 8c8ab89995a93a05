/**
 * Command-line parsing for the npm scripts (demo, bench, openapi): `--help` prints the usage and
 * exits 0; a bad flag prints a one-line message and the usage and exits 2 — never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * @example const values = scriptArgs('Usage: npm run bench -- [--audits N]', { audits: { type: 'string', default: '3' } })
 */
export function scriptArgs<T extends Options>(usage: string, options: T, argv = process.argv.slice(2)) {
  const withHelp = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    const { values } = parseArgs({ args: argv, options: withHelp, strict: true, allowPositionals: false });
    if ((values as Record<string, unknown>).help === true) {
      process.stdout.write(`${usage.trimEnd()}\n`);
      process.exit(0);
    }
    return values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage.trimEnd()}\n`);
    process.exit(2);
  }
}
