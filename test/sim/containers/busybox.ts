/** busybox:1.36 — a shell and the applets; `sleep`/`sh` as PID 1 ignore signals they did not trap. */
import { BUSYBOX_APPLETS } from './applets/index.js';
import type { EmulatedImage } from './types.js';

export const busyboxImage: EmulatedImage = {
  id: 'busybox',
  matches: (image) => /(^|\/)busybox(:|@|$)/.test(image),
  entrypoint: [],
  cmd: ['sh'],
  programs: BUSYBOX_APPLETS,
  pid1Signals: 'ignore-as-pid1',
};
