import type { BenchRow, Quantity, Target, Verdict } from './types';

/**
 * The median of `values` (the mean of the middle two for an even count). Asserts nothing about
 * order: sorts a copy. `NaN` for an empty list, so a missing measurement never looks like zero.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median absolute deviation from the median; `NaN` for an empty list. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((value) => Math.abs(value - centre)));
}

/**
 * Whether `ratio` meets `target`. A ratio that is not a finite number (a failed or empty
 * measurement) never passes.
 */
export function verdictFor(ratio: number, target: Target): Verdict {
  if (!Number.isFinite(ratio)) return 'MISS';
  const met = target.comparison === 'atLeast' ? ratio >= target.value : ratio <= target.value;
  return met ? 'PASS' : 'MISS';
}

/** A target that passes when the ratio is at least `value`. */
export function atLeast(value: number, text: string): Target {
  return { comparison: 'atLeast', value, text };
}

/** A target that passes when the ratio is at most `value`. */
export function atMost(value: number, text: string): Target {
  return { comparison: 'atMost', value, text };
}

/**
 * How far a ratio sits from its target, as a factor where 1 means exactly on target and above 1
 * means better than needed (for either direction of target). Used to draw the chart.
 */
export function headroom(ratio: number, target: Target): number {
  if (!Number.isFinite(ratio) || ratio <= 0) return 0;
  return target.comparison === 'atLeast' ? ratio / target.value : target.value / ratio;
}

/** What a row is built from; `ratio` and `verdict` are derived, never supplied. */
export interface RowSpec {
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  readonly subject: Quantity;
  readonly baseline: Quantity;
  readonly ratioText: string;
  readonly target: Target;
  readonly note?: string;
}

/** A row whose ratio is `subject.value ÷ baseline.value` and whose verdict follows from it. */
export function rowFromQuantities(spec: RowSpec): BenchRow {
  const ratio = spec.subject.value / spec.baseline.value;
  return { ...spec, ratio, verdict: verdictFor(ratio, spec.target) };
}

/** A row that could not be measured: ratio `NaN`, verdict `ERROR`, the reason in the note. */
export function errorRow(spec: Omit<RowSpec, 'subject' | 'baseline'>, reason: string): BenchRow {
  const nothing: Quantity = { label: 'not measured', value: Number.NaN, unit: '' };
  return {
    ...spec,
    subject: nothing,
    baseline: nothing,
    ratio: Number.NaN,
    verdict: 'ERROR',
    note: spec.note === undefined ? reason : `${reason} ${spec.note}`,
  };
}

/** A timed rate as a `Quantity`: `value` is operations per second. */
export function rateQuantity(label: string, nsPerOpSamples: readonly number[]): Quantity {
  const nsPerOp = median(nsPerOpSamples);
  const spread = medianAbsoluteDeviation(nsPerOpSamples);
  const opsPerSec = 1e9 / nsPerOp;
  return {
    label,
    value: opsPerSec,
    unit: 'ops/s',
    nsPerOp,
    opsPerSec,
    samples: nsPerOpSamples.length,
    madPercent: (100 * spread) / nsPerOp,
  };
}
