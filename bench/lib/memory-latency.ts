import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';

/** Bytes between the slots the chase visits: one cache line each. */
const LINE_BYTES = 64;
const SLOTS_PER_LINE = LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;

/**
 * Nanoseconds per dependent load when every load misses the processor's caches: a pointer chase
 * through a single random cycle over the cache lines of an `Int32Array` of `bytes` bytes, each
 * load's address being the value the previous load read, so no two loads overlap. This is the
 * floor under any data structure whose lookups chain through memory that does not fit in the
 * caches; the growth suite reports it beside the appends it explains.
 */
export function dependentLoadNs(bytes: number, loads: number): number {
  const slots = new Int32Array(bytes / Int32Array.BYTES_PER_ELEMENT);
  const lines = slots.length / SLOTS_PER_LINE;
  const order = new Int32Array(lines);
  for (let line = 0; line < lines; line++) order[line] = line;
  const random = seedrandom('bench/memory-latency');
  for (let line = lines - 1; line > 0; line--) {
    const other = Math.floor(random() * (line + 1));
    const kept = order[line]!;
    order[line] = order[other]!;
    order[other] = kept;
  }
  for (let step = 0; step < lines; step++) {
    slots[order[step]! * SLOTS_PER_LINE] = order[(step + 1) % lines]! * SLOTS_PER_LINE;
  }
  let at = 0;
  for (let step = 0; step < lines; step++) at = slots[at]!;
  const started = performance.now();
  for (let step = 0; step < loads; step++) at = slots[at]!;
  const elapsed = performance.now() - started;
  // `at` is always a valid slot; the check keeps the chase observable.
  if (at < 0) throw new Error('dependentLoadNs: the chase left the array');
  return (elapsed * 1e6) / loads;
}
