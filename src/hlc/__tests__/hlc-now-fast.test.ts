import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { HLC } from '../hlc';
import type { HLCTimestamp } from '../types';

/**
 * `now()` takes a short cut within one millisecond (the last stamp plus one). It must issue
 * exactly the stamps of the rule written out with `wall` and `counter` as numbers and packed only
 * at the end, whatever the clock does (standing still, going back, unusable readings) and however
 * `observe` raises the clock in between, the counter's carry into the wall included.
 */
type Step =
  | { readonly kind: 'now'; readonly advanceMs: number }
  | { readonly kind: 'observe'; readonly wallAhead: number; readonly counter: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('now' as const),
      advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('observe' as const),
      wallAhead: fc.integer({ min: -2, max: 2 }),
      counter: fc.oneof(
        fc.integer({ min: 0, max: 5 }),
        fc.constant(HLC.COUNTER_MAX - 1),
        fc.constant(HLC.COUNTER_MAX),
      ),
    }),
  },
);

const T0 = 1_700_000_000_000;

describe('HLC.now within one millisecond', () => {
  test.prop([fc.array(stepArb, { maxLength: 60 })])('issues the stamps of the rule', (steps) => {
    let reading = T0;
    const hlc = new HLC({ now: () => reading });
    let wall = 0;
    let counter = 0;
    for (const step of steps) {
      if (step.kind === 'now') {
        reading = Number.isNaN(step.advanceMs)
          ? Number.NaN
          : (Number.isNaN(reading) ? T0 : reading) + step.advanceMs;
        const read = Number.isNaN(reading) ? 0 : reading;
        if (read > wall) {
          wall = read;
          counter = 0;
        } else if (counter < HLC.COUNTER_MAX) {
          counter += 1;
        } else {
          wall += 1;
          counter = 0;
        }
        expect(hlc.now()).toBe((BigInt(wall) << 16n) | BigInt(counter));
      } else {
        const observedWall = Math.max(0, wall + step.wallAhead);
        const observed = HLC.encode(observedWall, step.counter) as HLCTimestamp;
        hlc.observe(observed);
        if (observedWall > wall || (observedWall === wall && step.counter > counter)) {
          wall = observedWall;
          counter = step.counter;
        }
      }
      expect(hlc.last()).toBe((BigInt(wall) << 16n) | BigInt(counter));
    }
  });
});
