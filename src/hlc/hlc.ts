import type { Clock } from '../ports/clock';
import { assert } from '../result/assert';
import { ClockDriftError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { HLCTimestamp } from './types';

/** Options for an `HLC`. */
export interface HLCOptions {
  /** How far (ms) a remote wall time may run ahead of the local wall clock; default 5 000. */
  readonly maxDriftMs?: number;
}

const COUNTER_SHIFT = 16n;
const COUNTER_MASK = 0xffffn;
/** One more than the largest valid timestamp: 2^64. */
const TIMESTAMP_LIMIT = 1n << 64n;

/**
 * A hybrid logical clock: a 64-bit timestamp `[48-bit wall ms][16-bit counter]` built on an
 * injected wall `Clock`.
 *
 * Guarantees:
 * - every `now()` and every `Ok` from `recv()` is strictly greater than every timestamp this HLC
 *   issued or observed before;
 * - the wall part never decreases, even when the clock jumps backwards (the counter absorbs it);
 * - when the counter would pass `COUNTER_MAX` the wall part advances by 1 ms and the counter
 *   restarts at 0, so the clock never stalls and never wraps;
 * - `recv()` refuses (with `ClockDriftError`) a remote whose wall part is more than `maxDriftMs`
 *   ahead of the local wall clock reading (not of the last HLC), so one runaway peer cannot drag
 *   every node's clock into the future.
 *
 * Unusable clock readings (NaN, ±Infinity, negative, beyond `WALL_MAX`) are treated as 0 and
 * fractional readings are floored; the HLC then carries on from its last wall time, so a broken
 * clock degrades to a logical counter instead of breaking monotonicity or leaping to year 10889.
 */
export class HLC {
  /** Default drift allowance for `recv`, in ms. */
  static readonly MAX_DRIFT_MS = 5_000;
  /** Width of the wall-time part. */
  static readonly WALL_BITS = 48;
  /** Width of the logical counter part. */
  static readonly COUNTER_BITS = 16;
  /** Largest representable wall time in ms (year 10889). */
  static readonly WALL_MAX = 2 ** 48 - 1;
  /** Largest counter value; one more advances the wall by 1 ms. */
  static readonly COUNTER_MAX = 0xffff;
  /** The timestamp below every other: wall 0, counter 0. */
  static readonly ZERO = 0n as HLCTimestamp;

  readonly #clock: Clock;
  readonly #maxDriftMs: number;
  #lastWall = 0;
  #lastCounter = 0;
  /**
   * `HLC.encode(#lastWall, #lastCounter)`, kept beside the parts: `last()` is asked once per
   * request and a packed timestamp is three BigInt allocations to build.
   */
  #lastStamp: HLCTimestamp = 0n as HLCTimestamp;

  /** Creates an HLC reading wall time from `clock`; its `last()` starts at `HLC.ZERO`. */
  constructor(clock: Clock, options?: HLCOptions) {
    const maxDriftMs = options?.maxDriftMs ?? HLC.MAX_DRIFT_MS;
    if (!(Number.isFinite(maxDriftMs) && maxDriftMs >= 0)) {
      assert(false, `maxDriftMs must be finite and >= 0, got ${maxDriftMs}`);
    }
    this.#clock = clock;
    this.#maxDriftMs = maxDriftMs;
  }

  /** Issues a timestamp strictly greater than every one this HLC has issued or observed. */
  now(): HLCTimestamp {
    const wall = this.#readWall();
    if (wall > this.#lastWall) {
      this.#lastWall = wall;
      this.#lastCounter = 0;
    } else if (this.#lastCounter < HLC.COUNTER_MAX) {
      // Same millisecond (or a clock behind): the counter goes up by one without a carry into
      // the wall part, so the packed stamp is the last one plus one. A gateway stamps a whole
      // push this way in one millisecond; `encode` would build three BigInts per stamp.
      this.#lastCounter += 1;
      const next = (this.#lastStamp + 1n) as HLCTimestamp;
      this.#lastStamp = next;
      return next;
    } else {
      this.#advanceCounter(this.#lastCounter);
    }
    const stamp = HLC.encode(this.#lastWall, this.#lastCounter);
    this.#lastStamp = stamp;
    return stamp;
  }

  /**
   * Merges a remote timestamp. Returns `Err(ClockDriftError)` when `remote` is not a valid 64-bit
   * timestamp or its wall part is more than `maxDriftMs` ahead of the local wall clock; the HLC is
   * then unchanged. Otherwise returns a timestamp greater than both `remote` and `last()`.
   */
  recv(remote: HLCTimestamp): Result<HLCTimestamp, ClockDriftError> {
    if (typeof remote !== 'bigint' || remote < 0n || remote >= TIMESTAMP_LIMIT) {
      return Err(new ClockDriftError(`remote HLC ${String(remote)} is not a 64-bit timestamp`));
    }
    const remoteWall = Number(remote >> COUNTER_SHIFT);
    const remoteCounter = Number(remote & COUNTER_MASK);
    const wall = this.#readWall();
    if (remoteWall > wall + this.#maxDriftMs) {
      return Err(
        new ClockDriftError(
          `remote HLC wall ${remoteWall} ms is ${remoteWall - wall} ms ahead of the local wall ` +
            `clock ${wall} ms (allowed: ${this.#maxDriftMs} ms)`,
        ),
      );
    }
    const lastWall = this.#lastWall;
    const maxWall = Math.max(wall, lastWall, remoteWall);
    if (maxWall === lastWall && maxWall === remoteWall) {
      this.#advanceCounter(Math.max(this.#lastCounter, remoteCounter));
    } else if (maxWall === lastWall) {
      this.#advanceCounter(this.#lastCounter);
    } else if (maxWall === remoteWall) {
      this.#lastWall = remoteWall;
      this.#advanceCounter(remoteCounter);
    } else {
      this.#lastWall = maxWall;
      this.#lastCounter = 0;
    }
    const stamp = HLC.encode(this.#lastWall, this.#lastCounter);
    this.#lastStamp = stamp;
    return Ok(stamp);
  }

  /**
   * Raises the HLC so that every later `now()` is greater than `ts`, without a drift check. Used
   * on restart to stay above the node's own past timestamps (e.g. the newest in its outbox).
   * Asserts that `ts` is a valid 64-bit timestamp.
   */
  observe(ts: HLCTimestamp): void {
    // The packing is monotone, so a valid `ts` not above `last()` changes nothing: no need to
    // unpack it (an invalid one fails this test and reaches `decode`'s assertion).
    if (typeof ts === 'bigint' && ts >= 0n && ts <= this.#lastStamp) return;
    const { wall, counter } = HLC.decode(ts);
    if (wall > this.#lastWall || (wall === this.#lastWall && counter > this.#lastCounter)) {
      this.#lastWall = wall;
      this.#lastCounter = counter;
      this.#lastStamp = ts; // a valid timestamp is exactly the packing of its parts
    }
  }

  /** The latest timestamp issued or observed; `HLC.ZERO` before the first. */
  last(): HLCTimestamp {
    return this.#lastStamp;
  }

  /** Packs `wall` ms and `counter` into a timestamp; asserts both are integers in range. */
  static encode(wall: number, counter: number): HLCTimestamp {
    if (!(Number.isInteger(wall) && wall >= 0 && wall <= HLC.WALL_MAX)) {
      assert(false, `HLC wall must be an integer in [0, ${HLC.WALL_MAX}], got ${wall}`);
    }
    if (!(Number.isInteger(counter) && counter >= 0 && counter <= HLC.COUNTER_MAX)) {
      assert(false, `HLC counter must be an integer in [0, ${HLC.COUNTER_MAX}], got ${counter}`);
    }
    return ((BigInt(wall) << COUNTER_SHIFT) | BigInt(counter)) as HLCTimestamp;
  }

  /** Unpacks a timestamp into wall ms and counter; asserts it is a valid 64-bit timestamp. */
  static decode(ts: HLCTimestamp): { wall: number; counter: number } {
    if (!(typeof ts === 'bigint' && ts >= 0n && ts < TIMESTAMP_LIMIT)) {
      assert(false, `HLC timestamp must be a bigint in [0, 2^64), got ${String(ts)}`);
    }
    return { wall: Number(ts >> COUNTER_SHIFT), counter: Number(ts & COUNTER_MASK) };
  }

  /** Orders two timestamps: -1 if `a < b`, 1 if `a > b`, 0 if equal. */
  static compare(a: HLCTimestamp, b: HLCTimestamp): -1 | 0 | 1 {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Sets the counter to `counter + 1`, moving to the next millisecond when it would overflow. */
  #advanceCounter(counter: number): void {
    if (counter >= HLC.COUNTER_MAX) {
      assert(this.#lastWall < HLC.WALL_MAX, 'HLC exhausted: wall time reached WALL_MAX');
      this.#lastWall += 1;
      this.#lastCounter = 0;
    } else {
      this.#lastCounter = counter + 1;
    }
  }

  /** Reads the wall clock as an integer in [0, WALL_MAX]; unusable readings become 0. */
  #readWall(): number {
    const reading = this.#clock.now();
    // `!(x >= 0)` also catches NaN; `> WALL_MAX` also catches +Infinity.
    if (!(reading >= 0) || reading > HLC.WALL_MAX) return 0;
    return Math.floor(reading);
  }
}
