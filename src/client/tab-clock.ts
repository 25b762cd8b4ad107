import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { Clock } from '../ports/clock';

/**
 * A wall clock that can be raised past a timestamp: it reads the inner clock, but never less
 * than its floor. Tabs sharing one outbox and one client id each run their own HLC; before a tab
 * stamps a write it raises its clock past the newest HLC in the shared outbox (under the stamp
 * lock), so its HLC — which never issues below its clock's reading — stamps above every write
 * any tab queued before. The floor is at most one millisecond past a real stamp, so it never
 * carries the clock measurably into the future.
 */
export class FloorClock implements Clock {
  readonly #inner: Clock;
  #floorMs = 0;

  constructor(inner: Clock) {
    this.#inner = inner;
  }

  now(): number {
    const reading = this.#inner.now();
    // Not Math.max: a NaN reading must give the floor, not NaN.
    if (!(reading >= this.#floorMs)) return this.#floorMs;
    return reading;
  }

  /**
   * Makes every later reading at least one millisecond past the wall part of `hlc`, so that an
   * `HLC` on this clock issues timestamps strictly above `hlc` from now on.
   */
  raiseAbove(hlc: HLCTimestamp): void {
    const floorMs = HLC.decode(hlc).wall + 1;
    if (floorMs > this.#floorMs) this.#floorMs = Math.min(floorMs, HLC.WALL_MAX);
  }

  /** The current floor in ms (0 until raised). */
  get floorMs(): number {
    return this.#floorMs;
  }
}
