// Before packing: an empty dist/, so no file compiled from a since-deleted source ships.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
