// Before packing: an empty dist/, so no file compiled from a since-deleted source ships.
import { rmSync } from 'node:fs';

if (process.argv.length > 2) {
  process.stdout.write('Usage: node scripts/clean-dist.mjs   (removes dist/; run by npm pack before the build)\n');
  process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
