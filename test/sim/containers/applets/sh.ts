/** busybox ash: `sh -c SCRIPT`, `sh FILE`, or a script read from stdin. */
import { Shell } from '../shell/interpreter.js';
import type { Program } from '../types.js';

export const sh: Program = async (proc) => {
  const args = proc.argv.slice(1);
  const shell = new Shell(proc);
  if (args[0] === '-c') {
    if (args[1] === undefined) {
      proc.io.stderr('sh: -c requires an argument\n');
      return 2;
    }
    return shell.runScript(args[1], proc.io);
  }
  if (args[0] !== undefined) {
    const script = proc.ctx.files.get(args[0]);
    if (script === undefined) {
      proc.io.stderr(`sh: can't open '${args[0]}': No such file or directory\n`);
      return 2;
    }
    return shell.runScript(script, proc.io);
  }
  // No tty and no script: ash reads commands from stdin (EOF at once when nothing is attached).
  return shell.runScript((await proc.io.readStdin()).toString(), proc.io);
};
