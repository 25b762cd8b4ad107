import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { HLC } from '../src/hlc/hlc';
import type { HLCTimestamp } from '../src/hlc/types';

/**
 * Laws of the hybrid logical clock, over arbitrary wall-clock behaviour: forward and backward
 * jumps, frozen clocks, garbage readings, and interleaved `recv`/`observe`.
 */

const NUM_RUNS = 1_000;
const T0 = 1_700_000_000_000;

type Step =
  | { readonly kind: 'tick'; readonly deltaMs: number }
  | { readonly kind: 'garbage'; readonly reading: number }
  | { readonly kind: 'now' }
  | { readonly kind: 'recv'; readonly offsetMs: number; readonly counter: number }
  | { readonly kind: 'observe'; readonly offsetMs: number; readonly counter: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      deltaMs: fc.oneof(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.integer({ min: -2, max: 2 }),
      ),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      reading: fc.constantFrom(
        Number.NaN,
        -1,
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        2 ** 60,
      ),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('now' as const) }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('recv' as const),
      offsetMs: fc.integer({ min: -20_000, max: 20_000 }),
      counter: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(HLC.COUNTER_MAX)),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('observe' as const),
      offsetMs: fc.integer({ min: -20_000, max: 20_000 }),
      counter: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(HLC.COUNTER_MAX)),
    }),
    weight: 1,
  },
);

/** A wall clock driven by the steps; `sane` is the last usable reading. */
function driveClock() {
  const clock = { reading: T0, sane: T0, now: () => clock.reading };
  return clock;
}

describe('HLC properties', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 60 })], { numRuns: NUM_RUNS })(
    'every issued timestamp exceeds everything issued or observed before; the wall never decreases',
    (steps) => {
      const clock = driveClock();
      const hlc = new HLC(clock);
      let highest: HLCTimestamp = HLC.ZERO;
      let lastWall = 0;
      const check = (issued: HLCTimestamp) => {
        expect(issued > highest).toBe(true);
        const { wall } = HLC.decode(issued);
        expect(wall).toBeGreaterThanOrEqual(lastWall);
        lastWall = wall;
        highest = issued;
        expect(hlc.last()).toBe(issued);
      };
      for (const step of steps) {
        switch (step.kind) {
          case 'tick':
            clock.sane = Math.max(0, clock.sane + step.deltaMs);
            clock.reading = clock.sane;
            break;
          case 'garbage':
            clock.reading = step.reading;
            break;
          case 'now': {
            const issued = hlc.now();
            check(issued);
            if (clock.reading === clock.sane) {
              expect(HLC.decode(issued).wall).toBeGreaterThanOrEqual(clock.sane);
            }
            break;
          }
          case 'recv': {
            const remote = HLC.encode(Math.max(0, clock.sane + step.offsetMs), step.counter);
            const before = hlc.last();
            const result = hlc.recv(remote);
            const wallNow = clock.reading === clock.sane ? clock.sane : 0;
            const tooFar = HLC.decode(remote).wall > wallNow + HLC.MAX_DRIFT_MS;
            expect(result.ok).toBe(!tooFar);
            if (result.ok) {
              expect(result.value > remote).toBe(true);
              check(result.value);
            } else {
              expect(hlc.last()).toBe(before);
            }
            break;
          }
          case 'observe': {
            const seen = HLC.encode(Math.max(0, clock.sane + step.offsetMs), step.counter);
            hlc.observe(seen);
            if (seen > highest) {
              highest = seen;
              lastWall = HLC.decode(seen).wall;
            }
            expect(hlc.last()).toBe(highest);
            break;
          }
        }
      }
    },
  );

  test.prop(
    [fc.integer({ min: 0, max: HLC.WALL_MAX }), fc.integer({ min: 0, max: HLC.COUNTER_MAX })],
    { numRuns: NUM_RUNS },
  )('encode and decode round-trip', (wall, counter) => {
    const ts = HLC.encode(wall, counter);
    expect(HLC.decode(ts)).toEqual({ wall, counter });
    expect(ts >= 0n && ts < 1n << 64n).toBe(true);
  });

  test.prop([fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })], { numRuns: NUM_RUNS })(
    'decode and encode round-trip every 64-bit value',
    (raw) => {
      const ts = raw as HLCTimestamp;
      const { wall, counter } = HLC.decode(ts);
      expect(HLC.encode(wall, counter)).toBe(ts);
    },
  );

  test.prop(
    [
      fc.tuple(
        fc.integer({ min: 0, max: HLC.WALL_MAX }),
        fc.integer({ min: 0, max: HLC.COUNTER_MAX }),
      ),
      fc.tuple(
        fc.integer({ min: 0, max: HLC.WALL_MAX }),
        fc.integer({ min: 0, max: HLC.COUNTER_MAX }),
      ),
    ],
    { numRuns: NUM_RUNS },
  )('compare orders (wall, counter) lexicographically and is antisymmetric', (a, b) => {
    const ta = HLC.encode(a[0], a[1]);
    const tb = HLC.encode(b[0], b[1]);
    const expected = a[0] !== b[0] ? Math.sign(a[0] - b[0]) : Math.sign(a[1] - b[1]);
    expect(HLC.compare(ta, tb)).toBe(expected);
    expect(HLC.compare(tb, ta)).toBe(-expected || 0);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 70_000 })], {
    numRuns: NUM_RUNS,
  })(
    'a frozen clock never stalls: counter overflow moves to the next millisecond',
    (wall, calls) => {
      const hlc = new HLC({ now: () => wall });
      // Jump straight to the interesting region instead of issuing tens of thousands of stamps.
      const start = Math.max(0, HLC.COUNTER_MAX - (calls % 8));
      hlc.observe(HLC.encode(wall, start));
      let previous = hlc.last();
      for (let call = 0; call < 10; call++) {
        const next = hlc.now();
        expect(next > previous).toBe(true);
        expect(HLC.decode(next).wall).toBeLessThanOrEqual(wall + 1);
        previous = next;
      }
    },
  );
});
