/** A process's stdout and stderr collected as text (an exec without a stream to send them to). */
import type { ProcessIo } from './types.js';

export function capturedIo(stdin = ''): { io: ProcessIo; output(): { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const io: ProcessIo = {
    stdout: (d) => {
      stdout += d.toString();
    },
    stderr: (d) => {
      stderr += d.toString();
    },
    readStdin: async () => Buffer.from(stdin),
  };
  return { io, output: () => ({ stdout, stderr }) };
}
