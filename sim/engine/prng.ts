import seedrandom from 'seedrandom';
import { assert } from '../../src/result/assert';

/** 2^32, the number of distinct values one draw yields. */
const UINT32_RANGE = 4_294_967_296;

/**
 * A deterministic pseudo-random stream. Every random choice of the simulator comes from one of
 * these, forked from the run's seed by a stable name (`network`, `storage`, `faults`,
 * `workload/client-3`, `clock/gateway` …), so adding a consumer of one stream never shifts the
 * values another stream yields.
 *
 * Guarantees: the same `(seed, name)` yields the same sequence on every engine (Node and Bun). Only
 * integer draws and correctly rounded arithmetic (`*`, `/`, `Math.floor`) are used — never
 * `Math.log`, `Math.exp` or other functions whose last bits differ between engines.
 */
export class Prng {
  readonly name: string;
  readonly #source: seedrandom.PRNG;

  /** Forks the stream `name` of `seed`; see `createPrng`. */
  constructor(seed: number, name: string) {
    assert(Number.isSafeInteger(seed), `seed must be a safe integer, got ${seed}`);
    this.name = name;
    this.#source = seedrandom(`${seed}/${name}`);
  }

  /** A uniform integer in [0, 2^32). */
  uint32(): number {
    return this.#source.int32() >>> 0;
  }

  /** A uniform integer in [0, `bound`); asserts `bound` is a positive safe integer ≤ 2^32. */
  below(bound: number): number {
    if (!(Number.isSafeInteger(bound) && bound > 0 && bound <= UINT32_RANGE)) {
      assert(false, `bound must be an integer in [1, 2^32], got ${bound}`);
    }
    return Math.floor((this.uint32() / UINT32_RANGE) * bound);
  }

  /** A uniform integer in [`min`, `max`] (both inclusive); asserts `min ≤ max`. */
  between(min: number, max: number): number {
    if (min > max) assert(false, `between: min ${min} > max ${max}`);
    return min + this.below(max - min + 1);
  }

  /**
   * True with probability `probability` (clamped to [0, 1]). Always consumes exactly one draw,
   * so a rate of 0 and a rate of 0.5 leave the stream at the same position.
   */
  chance(probability: number): boolean {
    return this.uint32() < probability * UINT32_RANGE;
  }

  /** A uniform fraction in [0, 1) with 32 bits of resolution. */
  fraction(): number {
    return this.uint32() / UINT32_RANGE;
  }

  /** A uniformly chosen element; asserts `items` is not empty. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  /**
   * An exponential-ish waiting time with mean `meanMs`, from integer draws only (Poisson-ish
   * arrivals without `Math.log`): the leading zero bits of a draw are geometric(1/2) (mean 1), a
   * second draw spreads the value uniformly within its unit step (mean 0.5), so `geometric + spread`
   * has a step-shaped density 2^-(k+1) on [k, k+1) — the exponential with rate ln 2, quantised — and
   * mean 1.5, which `MEAN_OF_STEPPED_EXPONENTIAL` scales back to `meanMs`.
   */
  exponentialMs(meanMs: number): number {
    const geometric = Math.clz32(this.uint32() | 1);
    const spread = this.fraction();
    return Math.floor(((geometric + spread) * meanMs) / MEAN_OF_STEPPED_EXPONENTIAL);
  }
}

/** Mean of `clz32(u | 1) + fraction` for uniform draws: 1 (geometric) + 0.5 (spread). */
const MEAN_OF_STEPPED_EXPONENTIAL = 1.5;

/** Forks the named stream of `seed`: `seedrandom(\`${seed}/${name}\`)` wrapped as a `Prng`. */
export function createPrng(seed: number, name: string): Prng {
  return new Prng(seed, name);
}
