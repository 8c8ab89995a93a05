/** Where every component reads the time: injected, so tests control it. */
export interface Clock {
  now(): Date;
}
