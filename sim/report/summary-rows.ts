import type { RunStats } from '../types';

/** One labelled figure of the summary, already formatted. */
export interface SummaryRow {
  readonly label: string;
  readonly value: string;
}

/** Groups digits in threes with commas, independent of the host's locale: `1234567` → `1,234,567`. */
export function groupDigits(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const negative = value < 0;
  const [whole = '0', fraction] = Math.abs(value).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Milliseconds as seconds with a fixed number of decimals: `1234` → `1.23 s`. */
export function formatSeconds(ms: number, decimals = 2): string {
  return `${groupDigits(Number((ms / 1000).toFixed(decimals)))} s`;
}

/**
 * The figures of a run in the order the CLI's summary table and the HTML report show them. Wall
 * time and virtual ÷ wall time are the only figures that vary between identical runs; nothing here feeds
 * the trace hash.
 */
export function summaryRows(stats: RunStats): SummaryRow[] {
  return [
    { label: 'clients', value: groupDigits(stats.clients) },
    { label: 'ops', value: groupDigits(stats.ops) },
    {
      label: 'deltas pushed / pulled',
      value: `${groupDigits(stats.deltasPushed)} / ${groupDigits(stats.deltasPulled)}`,
    },
    { label: 'messages sent', value: groupDigits(stats.messagesSent) },
    { label: 'duplicates delivered', value: groupDigits(stats.duplicatesDelivered) },
    {
      label: 'dropped / replies lost',
      value: `${groupDigits(stats.messagesDropped)} / ${groupDigits(stats.repliesLost)}`,
    },
    { label: 'partitions', value: groupDigits(stats.partitions) },
    {
      label: 'restarts',
      value: `${groupDigits(stats.gatewayRestarts)} gateway, ${groupDigits(stats.clientRestarts)} client`,
    },
    { label: 'max clock skew', value: `${groupDigits(stats.clockSkewMsMax)} ms` },
    {
      label: 'flushes',
      value: `${groupDigits(stats.flushes)} (${groupDigits(stats.flushFailures)} failed)`,
    },
    { label: 'lake objects', value: groupDigits(stats.lakeObjects) },
    ...settledRow(stats),
    { label: 'virtual time', value: formatSeconds(stats.virtualMs, 1) },
    { label: 'wall time', value: formatSeconds(stats.wallMs, 2) },
    {
      label: 'virtual ÷ wall time',
      value: `${groupDigits(Number(stats.virtualMsPerWallMs.toFixed(1)))}×`,
    },
  ];
}

/** "settled after heal" when the engine measured it: seconds into the heal phase, or never. */
function settledRow(stats: RunStats): SummaryRow[] {
  const settled = stats.settledAfterHealMs;
  if (settled === undefined) return [];
  return [
    { label: 'settled after heal', value: settled === null ? 'never' : formatSeconds(settled, 1) },
  ];
}
