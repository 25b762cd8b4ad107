import { summaryRows } from '../report/summary-rows';
import type { RunStats } from '../types';

/**
 * The summary table printed after a run: one figure per line, labels padded into a column, e.g.
 *
 * ```
 * summary
 *   clients                  20
 *   ops                      1,234
 * ```
 *
 * Figures are formatted without the host's locale, so the table reads the same everywhere; only
 * the wall time and virtual ÷ wall time lines differ between identical runs.
 */
export function formatSummaryTable(stats: RunStats): string {
  const rows = summaryRows(stats);
  const labelWidth = rows.reduce((widest, row) => Math.max(widest, row.label.length), 0);
  const lines = rows.map((row) => `  ${row.label.padEnd(labelWidth)}  ${row.value}`);
  return ['summary', ...lines].join('\n');
}
