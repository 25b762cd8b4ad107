import { describe, expect, it } from 'vitest';
import { createPrng } from '../engine/prng';

const draw = (seed: number, name: string, count: number): number[] => {
  const prng = createPrng(seed, name);
  return Array.from({ length: count }, () => prng.uint32());
};

describe('Prng', () => {
  it('gives the same values for the same seed and name', () => {
    expect(draw(42, 'network', 50)).toEqual(draw(42, 'network', 50));
  });

  it('gives different streams for different names and seeds', () => {
    expect(draw(42, 'network', 10)).not.toEqual(draw(42, 'storage', 10));
    expect(draw(42, 'network', 10)).not.toEqual(draw(43, 'network', 10));
  });

  it('keeps a stream independent of draws from another stream', () => {
    const alone = draw(7, 'workload/client-0', 20);
    const other = createPrng(7, 'workload/client-1');
    const mine = createPrng(7, 'workload/client-0');
    const interleaved: number[] = [];
    for (let index = 0; index < 20; index++) {
      other.uint32();
      interleaved.push(mine.uint32());
    }
    expect(interleaved).toEqual(alone);
  });

  it('pins the first values of a stream (a change here breaks every saved plan replay)', () => {
    expect(draw(1, 'network', 3)).toMatchInlineSnapshot(`
      [
        2083126027,
        1769170093,
        1476410290,
      ]
    `);
  });

  it('keeps below, between, chance, pick and exponentialMs in range and deterministic', () => {
    const run = (): unknown[] => {
      const prng = createPrng(9, 'faults');
      const out: unknown[] = [];
      let outOfRange = 0;
      for (let index = 0; index < 2_000; index++) {
        const below = prng.below(7);
        const between = prng.between(-3, 3);
        const exponential = prng.exponentialMs(1_000);
        if (below < 0 || below >= 7 || between < -3 || between > 3) outOfRange++;
        if (!Number.isInteger(exponential) || exponential < 0) outOfRange++;
        out.push(below, between, prng.chance(0.3), prng.pick(['a', 'b', 'c']), exponential);
      }
      expect(outOfRange).toBe(0);
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('hits each value of below() about equally often', () => {
    const prng = createPrng(3, 'uniformity');
    const counts = [0, 0, 0, 0];
    for (let index = 0; index < 40_000; index++) counts[prng.below(4)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('makes chance(p) true at rate p, and always consumes one draw', () => {
    const prng = createPrng(5, 'chance');
    let hits = 0;
    for (let index = 0; index < 20_000; index++) if (prng.chance(0.25)) hits++;
    expect(Math.abs(hits / 20_000 - 0.25)).toBeLessThan(0.015);
    const a = createPrng(5, 'x');
    const b = createPrng(5, 'x');
    a.chance(0);
    b.chance(0.9);
    expect(a.uint32()).toBe(b.uint32());
  });

  it('gives exponentialMs the requested mean', () => {
    const prng = createPrng(11, 'arrivals');
    let sum = 0;
    const count = 50_000;
    for (let index = 0; index < count; index++) sum += prng.exponentialMs(500);
    expect(Math.abs(sum / count - 500)).toBeLessThan(15);
  });

  it('refuses a non-integer seed and an empty pick', () => {
    expect(() => createPrng(1.5, 'x')).toThrow(/seed/);
    expect(() => createPrng(1, 'x').pick([])).toThrow(/empty/);
  });
});
