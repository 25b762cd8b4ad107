import type { Clock } from '../../src/ports/clock';
import { assert } from '../../src/result/assert';
import type { VirtualTime } from './scheduler';

/** Parts per million: drift is expressed as ms gained per 1 000 000 ms of true time. */
const PPM = 1_000_000;

/**
 * A node's wall clock in virtual time: `epochMs + true virtual time + offset + drift`.
 *
 * - `skew(skewMs, driftPpm)` re-sets the clock: from now it reads true time + `skewMs` (either
 *   sign), then gains `driftPpm` ms per million ms; earlier skew, drift and jumps are replaced;
 * - `jump(jumpMs)` moves the reading by `jumpMs` at once (negative = backwards, as NTP may);
 * - `resync()` puts the clock back on true time (the heal phase).
 *
 * Readings are integers computed with `+ - * /` and `Math.trunc` only, so they are identical on
 * every engine. The clock never moves virtual time; it only reads it.
 */
export class VirtualClock implements Clock {
  readonly #time: VirtualTime;
  readonly #epochMs: number;
  #offsetMs = 0;
  #driftPpm = 0;
  #driftAnchorMs = 0;

  /** `epochMs` is the wall time the clock shows at virtual time 0 with no skew. */
  constructor(time: VirtualTime, epochMs: number) {
    if (!(Number.isSafeInteger(epochMs) && epochMs >= 0)) {
      assert(false, `epochMs must be an integer ≥ 0, got ${epochMs}`);
    }
    this.#time = time;
    this.#epochMs = epochMs;
  }

  now(): number {
    const trueMs = this.#time.nowMs;
    return this.#epochMs + trueMs + this.#offsetMs + this.#driftSinceAnchor(trueMs);
  }

  /** The reading's current distance from true time (skew + jumps + accumulated drift), in ms. */
  offsetMs(): number {
    return this.#offsetMs + this.#driftSinceAnchor(this.#time.nowMs);
  }

  /** Sets the reading to true time + `skewMs` from now, drifting `driftPpm` from here on. */
  skew(skewMs: number, driftPpm: number): void {
    assert(Number.isSafeInteger(skewMs), `skewMs must be an integer, got ${skewMs}`);
    assert(Number.isSafeInteger(driftPpm), `driftPpm must be an integer, got ${driftPpm}`);
    this.#offsetMs = skewMs;
    this.#driftPpm = driftPpm;
    this.#driftAnchorMs = this.#time.nowMs;
  }

  /** Moves the reading by `jumpMs` (negative: backwards) at once, keeping the drift rate. */
  jump(jumpMs: number): void {
    assert(Number.isSafeInteger(jumpMs), `jumpMs must be an integer, got ${jumpMs}`);
    const trueMs = this.#time.nowMs;
    this.#offsetMs += this.#driftSinceAnchor(trueMs) + jumpMs;
    this.#driftAnchorMs = trueMs;
  }

  /** Back on true time, no drift (the heal phase's re-sync, as NTP would do). */
  resync(): void {
    this.skew(0, 0);
  }

  #driftSinceAnchor(trueMs: number): number {
    if (this.#driftPpm === 0) return 0;
    return Math.trunc(((trueMs - this.#driftAnchorMs) * this.#driftPpm) / PPM);
  }
}
