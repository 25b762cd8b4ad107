/**
 * Growth exponents for cost curves: with measured points `(x, y)`, the least-squares slope of
 * `log y` against `log x`, so `y ∝ x^k`. Used only to decide whether the next size fits the time
 * budget and to extrapolate sizes that did not, and every extrapolated figure is labelled so.
 */

/** One measured point of a curve. */
export interface MeasuredPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The log-log slope of the points with positive coordinates; `fallback` when fewer than two such
 * points exist or they share one `x`.
 */
export function growthExponent(points: readonly MeasuredPoint[], fallback = 1): number {
  const usable = points.filter((point) => point.x > 0 && point.y > 0);
  if (usable.length < 2) return fallback;
  const xs = usable.map((point) => Math.log(point.x));
  const ys = usable.map((point) => Math.log(point.y));
  const meanX = xs.reduce((sum, value) => sum + value, 0) / xs.length;
  const meanY = ys.reduce((sum, value) => sum + value, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < xs.length; index++) {
    covariance += (xs[index]! - meanX) * (ys[index]! - meanY);
    variance += (xs[index]! - meanX) ** 2;
  }
  return variance === 0 ? fallback : covariance / variance;
}

/**
 * The `y` predicted at `x` from the last measured point, growing as `x^exponent`. `NaN` when
 * nothing was measured.
 */
export function extrapolate(points: readonly MeasuredPoint[], x: number, exponent: number): number {
  const last = points[points.length - 1];
  if (last === undefined || last.x <= 0) return Number.NaN;
  return last.y * (x / last.x) ** exponent;
}
