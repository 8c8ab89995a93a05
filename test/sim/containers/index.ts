/** Picks the emulation for a container image by name (first match wins; unknown images last). */
import { agnhostImage } from './agnhost.js';
import { busyboxImage } from './busybox.js';
import { controlPlaneImage } from './control-plane.js';
import { corednsImage } from './coredns.js';
import { etcdImage } from './etcd.js';
import { kubeDnsImages } from './kube-dns.js';
import type { EmulatedImage } from './types.js';
import { unknownImage } from './unknown.js';

export const BUILTIN_IMAGES: readonly EmulatedImage[] = [
  agnhostImage,
  busyboxImage,
  corednsImage,
  ...kubeDnsImages,
  etcdImage,
  controlPlaneImage,
];

export function selectImage(image: string, extra: readonly EmulatedImage[] = []): EmulatedImage {
  return [...extra, ...BUILTIN_IMAGES].find((candidate) => candidate.matches(image)) ?? unknownImage;
}

export type * from './types.js';
