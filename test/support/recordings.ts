import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A recorded run of a real program: `NAME.stdout`, `NAME.stderr`, `NAME.rc` in one folder. */
export function recordingIn(dir: string) {
  return (name: string) => {
    const read = (ext: string) => readFileSync(path.join(dir, `${name}.${ext}`), 'utf8');
    return { stdout: read('stdout'), stderr: read('stderr'), exitCode: Number(read('rc').trim()) };
  };
}

/** test/fixtures/busybox-1.35: real busybox 1.35 nslookup and wget output (see its README). */
export const BUSYBOX = path.resolve(import.meta.dirname, '../fixtures/busybox-1.35');

/** test/fixtures/busybox-1.35-ipv6: busybox 1.35 on IPv6 (see its README). */
export const BUSYBOX_IPV6 = path.resolve(import.meta.dirname, '../fixtures/busybox-1.35-ipv6');
