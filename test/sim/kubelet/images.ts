/** Image references as containerd reports them in container statuses. */
import { imageDigest } from '../controllers/kit/names.js';

/** `busybox:1.36` → `docker.io/library/busybox:1.36`, as containerd normalises a reference. */
export function normalizeImage(image: string): string {
  const [first, ...rest] = image.split('/');
  const hasRegistry = rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
  let ref = hasRegistry ? image : rest.length === 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastSegment = ref.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

/** `<repository>@sha256:<digest>`, stable for an image on every node. */
export function imageIdOf(image: string): string {
  const normalized = normalizeImage(image);
  const repository = normalized.split('@')[0]!.replace(/:[^/:]+$/, '');
  return `${repository}@sha256:${imageDigest(normalized)}`;
}

/** A plausible, stable compressed size in bytes (between 2 and 60 MB). */
export function imageSizeOf(image: string): number {
  return 2_000_000 + (Number.parseInt(imageDigest(image).slice(0, 8), 16) % 58_000_000);
}

/** Go's time.Duration.String() for a number of milliseconds: `200ms`, `1.5s`, `1m20s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Number((seconds - minutes * 60).toFixed(3))}s`;
}
