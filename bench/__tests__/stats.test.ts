import { describe, expect, it } from 'vitest';
import { extrapolate, growthExponent } from '../lib/curve-fit';
import {
  atLeast,
  atMost,
  errorRow,
  headroom,
  median,
  medianAbsoluteDeviation,
  rateQuantity,
  rowFromQuantities,
  verdictFor,
} from '../lib/stats';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no values, so a missing measurement never reads as zero', () => {
    expect(median([])).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('gives the median absolute deviation', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
  });
});

describe('verdicts and headroom', () => {
  it('passes an at-least target at and above its value only', () => {
    const target = atLeast(2, '≥ 2 ×');
    expect(verdictFor(2, target)).toBe('PASS');
    expect(verdictFor(2.5, target)).toBe('PASS');
    expect(verdictFor(1.99, target)).toBe('MISS');
  });

  it('passes an at-most target at and below its value only', () => {
    const target = atMost(1.3, '≤ 1.3 ×');
    expect(verdictFor(1.3, target)).toBe('PASS');
    expect(verdictFor(0.9, target)).toBe('PASS');
    expect(verdictFor(1.31, target)).toBe('MISS');
  });

  it('never passes a ratio that is not a finite number', () => {
    expect(verdictFor(Number.NaN, atMost(1, ''))).toBe('MISS');
    expect(verdictFor(Number.POSITIVE_INFINITY, atLeast(1, ''))).toBe('MISS');
  });

  it('measures headroom so that 1 is on target and above 1 is better, in both directions', () => {
    expect(headroom(4, atLeast(2, ''))).toBe(2);
    expect(headroom(0.5, atMost(1, ''))).toBe(2);
    expect(headroom(2, atMost(1, ''))).toBe(0.5);
    expect(headroom(Number.NaN, atLeast(1, ''))).toBe(0);
  });
});

describe('rows', () => {
  const spec = {
    id: 'x',
    suite: 's',
    title: 'X',
    ratioText: 'a ÷ b',
    target: atLeast(0.25, '≥ 25 %'),
  };

  it('derives the ratio as subject ÷ baseline and the verdict from it', () => {
    const row = rowFromQuantities({
      ...spec,
      subject: { label: 'a', value: 20, unit: 'ops/s' },
      baseline: { label: 'b', value: 100, unit: 'ops/s' },
    });
    expect(row.ratio).toBe(0.2);
    expect(row.verdict).toBe('MISS');
  });

  it('marks an unmeasured row as ERROR with the reason first', () => {
    const row = errorRow({ ...spec, note: 'context' }, 'engine missing.');
    expect(row.verdict).toBe('ERROR');
    expect(row.ratio).toBeNaN();
    expect(row.note).toBe('engine missing. context');
  });

  it('turns per-operation samples into a median rate', () => {
    const quantity = rateQuantity('task', [100, 200, 300]);
    expect(quantity.nsPerOp).toBe(200);
    expect(quantity.opsPerSec).toBe(5_000_000);
    expect(quantity.value).toBe(5_000_000);
    expect(quantity.samples).toBe(3);
    expect(quantity.madPercent).toBe(50);
  });
});

describe('curve fitting', () => {
  it('recovers the exponent of a power law', () => {
    const points = [1, 10, 100].map((x) => ({ x, y: 3 * x ** 2 }));
    expect(growthExponent(points)).toBeCloseTo(2, 10);
  });

  it('falls back with fewer than two usable points', () => {
    expect(growthExponent([{ x: 10, y: 5 }], 1)).toBe(1);
    expect(growthExponent([], 1.5)).toBe(1.5);
  });

  it('extrapolates from the last point', () => {
    expect(extrapolate([{ x: 10, y: 2 }], 100, 1)).toBeCloseTo(20, 10);
    expect(extrapolate([{ x: 10, y: 2 }], 100, 2)).toBeCloseTo(200, 10);
    expect(extrapolate([], 100, 1)).toBeNaN();
  });
});
