import { Err, Ok, type Result } from '../../src/result/result';

/** An inclusive range of seeds, `first..last`, as given to `--seeds`. */
export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

/**
 * One machine's slice of a seed range, as test runners shard: 1-based `index` of `count`. Seed `s`
 * belongs to shard `index` iff `s mod count == index - 1`, so the shards of a range are disjoint
 * and together cover it, whatever the range.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Largest seed accepted: seeds travel as JSON numbers and must stay exact. */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;

/** Largest shard count accepted by `--shard i/n`. */
export const SHARD_COUNT_MAX = 10_000;

const DIGITS = /^[0-9]+$/;

/**
 * Parses a seed: a non-negative decimal integer up to `SEED_MAX` (no sign, exponent, hex or
 * fraction), so that the seed printed is exactly the seed run.
 */
export function parseSeed(text: string): Result<number, string> {
  if (!DIGITS.test(text)) return Err(`seed must be a non-negative integer, got '${text}'`);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed > SEED_MAX) {
    return Err(`seed must be at most ${SEED_MAX}, got '${text}'`);
  }
  return Ok(seed);
}

/** Parses `A..B` (inclusive, `A <= B`), e.g. `1..1000`. */
export function parseSeedRange(text: string): Result<SeedRange, string> {
  const parts = text.split('..');
  if (parts.length !== 2)
    return Err(`seed range must look like A..B (e.g. 1..1000), got '${text}'`);
  const first = parseSeed(parts[0] ?? '');
  if (!first.ok) return Err(`bad start of seed range '${text}': ${first.error}`);
  const last = parseSeed(parts[1] ?? '');
  if (!last.ok) return Err(`bad end of seed range '${text}': ${last.error}`);
  if (first.value > last.value) {
    return Err(`seed range must not be empty: ${first.value} is after ${last.value}`);
  }
  return Ok({ first: first.value, last: last.value });
}

/** Parses `i/n` with `1 <= i <= n <= SHARD_COUNT_MAX` (1-based, like test runners). */
export function parseShard(text: string): Result<Shard, string> {
  const parts = text.split('/');
  const [indexText, countText] = parts;
  if (
    parts.length !== 2 ||
    indexText === undefined ||
    countText === undefined ||
    !DIGITS.test(indexText) ||
    !DIGITS.test(countText)
  ) {
    return Err(`shard must look like i/n (1-based, e.g. 2/4), got '${text}'`);
  }
  const index = Number(indexText);
  const count = Number(countText);
  if (count < 1 || count > SHARD_COUNT_MAX) {
    return Err(`shard count must be between 1 and ${SHARD_COUNT_MAX}, got ${countText}`);
  }
  if (index < 1 || index > count) {
    return Err(`shard index is 1-based and must be between 1 and ${count}, got ${indexText}`);
  }
  return Ok({ index, count });
}

/** True iff `seed` belongs to `shard` (all seeds belong to a missing shard). */
export function inShard(seed: number, shard: Shard | null): boolean {
  return shard === null || seed % shard.count === shard.index - 1;
}

/**
 * The seeds of `range` that belong to `shard`, ascending, produced lazily so that a huge range
 * costs no memory up front.
 */
export function* seedsOf(range: SeedRange, shard: Shard | null): Generator<number> {
  let seed = range.first;
  if (shard !== null) {
    const offset =
      (((shard.index - 1 - (range.first % shard.count)) % shard.count) + shard.count) % shard.count;
    seed += offset;
  }
  const step = shard === null ? 1 : shard.count;
  for (; seed <= range.last; seed += step) yield seed;
}

/** How many seeds `seedsOf(range, shard)` yields, without iterating. */
export function countSeeds(range: SeedRange, shard: Shard | null): number {
  const first = seedsOf(range, shard).next();
  if (first.done === true) return 0;
  const step = shard === null ? 1 : shard.count;
  return Math.floor((range.last - first.value) / step) + 1;
}
