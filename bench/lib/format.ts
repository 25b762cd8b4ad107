/** Number formatting shared by the report writers (British English, thousands separated). */

/** `n` with thousands separators and at most `fractionDigits` decimals; `—` when not finite. */
export function formatNumber(n: number, fractionDigits = 0): string {
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-GB', {
    maximumFractionDigits: fractionDigits,
    minimumFractionDigits: 0,
  });
}

/** A ratio with three significant digits (`0.105`, `2.31`, `1,234`); `—` when not finite. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  const magnitude = Math.abs(ratio);
  const fixed = (digits: number): string =>
    ratio.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (magnitude >= 100) return fixed(0);
  if (magnitude >= 10) return fixed(1);
  if (magnitude >= 1) return fixed(2);
  return ratio.toPrecision(3);
}

/** Nanoseconds per operation with a sensible precision. */
export function formatNs(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return '—';
  return formatNumber(ns, ns < 10 ? 2 : ns < 1_000 ? 1 : 0);
}

/** A quantity's value and unit, e.g. `136,284 B` or `12.5 s`. */
export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  const number = formatNumber(value, digits);
  return unit === '' ? number : `${number} ${unit}`;
}
