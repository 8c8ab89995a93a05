/**
 * Any image we do not emulate (pause included): its main process runs until stopped, whatever
 * the command; it has no programs, so every exec fails like a missing binary.
 */
import type { EmulatedImage } from './types.js';

export const unknownImage: EmulatedImage = {
  id: 'unknown',
  matches: () => true,
  entrypoint: ['/pause'],
  cmd: [],
  programs: new Map(),
  pid1Signals: 'go-runtime',
  anyMain: async (proc) => {
    await new Promise<void>((resolve) => proc.signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  },
};
