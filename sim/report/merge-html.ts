import { escapeHtml } from './escape';
import { REPORT_CSS } from './styles';
import { groupDigits } from './summary-rows';

/** What the merged report shows (a structural view of the CLI's `MergedReport`). */
export interface MergedReportView {
  readonly groups: readonly {
    readonly name: string;
    readonly shards: readonly string[];
    readonly missingShards: readonly string[];
    readonly seedsTotal: number;
    readonly seedsRun: number;
    readonly passed: number;
    readonly wallMs: number;
    readonly traceHash: string;
    readonly failures: readonly {
      readonly seed: number;
      readonly oracle: string;
      readonly atMs: number | null;
      readonly message: string;
      readonly command: string | null;
    }[];
    readonly slowest: { readonly seed: number; readonly wallMs: number } | null;
  }[];
  readonly coverage: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly failuresByOracle: Readonly<Record<string, number>>;
  readonly problems: readonly string[];
}

/**
 * A self-contained HTML page of merged sweeps (no scripts or fetched assets, every value escaped):
 * the verdict, one row per configuration with its shards and combined trace hash, every failing
 * seed with its replay command, failures per oracle, and fault coverage summed over every seed
 * (a fault that never fired is highlighted). Oracle names and coverage entries are shown as the
 * summaries give them, so new ones appear without an edit here.
 */
export function renderMergedReport(view: MergedReportView, verdict: string): string {
  const ok =
    view.groups.every((group) => group.failures.length === 0) && view.problems.length === 0;
  const groupRows = view.groups.map(
    (group) =>
      `<tr><th>${escapeHtml(group.name)}</th><td>${escapeHtml(group.shards.join(' ') || 'unsharded')}${group.missingShards.length > 0 ? ` <span class="fail">missing ${escapeHtml(group.missingShards.join(' '))}</span>` : ''}</td>` +
      `<td class="num">${groupDigits(group.seedsRun)} / ${groupDigits(group.seedsTotal)}</td><td class="num">${groupDigits(group.passed)}</td>` +
      `<td class="num">${groupDigits(group.failures.length)}</td><td class="num">${(group.wallMs / 1000).toFixed(1)} s</td>` +
      `<td>${group.slowest === null ? '' : `seed ${group.slowest.seed} (${(group.slowest.wallMs / 1000).toFixed(2)} s)`}</td>` +
      `<td class="mono">${escapeHtml(group.traceHash)}</td></tr>`,
  );
  const failures = view.groups.flatMap((group) =>
    group.failures.map(
      (failure) =>
        `<tr><th>${escapeHtml(group.name)}</th><td class="num">${failure.seed}</td><td>${escapeHtml(failure.oracle)}</td>` +
        `<td class="num">${failure.atMs === null ? '' : groupDigits(failure.atMs)}</td><td>${escapeHtml(failure.message)}</td>` +
        `<td class="mono">${escapeHtml(failure.command ?? '')}</td></tr>`,
    ),
  );
  const phases = [
    ...new Set(Object.values(view.coverage).flatMap((entry) => Object.keys(entry))),
  ].sort();
  const coverageRows = Object.keys(view.coverage)
    .sort()
    .map((kind) => {
      const entry = view.coverage[kind] ?? {};
      const cells = phases
        .map((phase) => {
          const count = entry[phase] ?? 0;
          return `<td class="num${count === 0 ? ' zero' : ''}">${groupDigits(count)}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(kind)}</th>${cells}</tr>`;
    });
  const oracles = Object.entries(view.failuresByOracle).map(
    ([oracle, count]) =>
      `<tr><th>${escapeHtml(oracle)}</th><td class="num">${groupDigits(count)}</td></tr>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>LakeSync simulation — merged sweeps</title><style>${REPORT_CSS}</style></head>`,
    '<body>',
    `<header><h1>LakeSync simulation — merged sweeps</h1><span class="verdict ${ok ? 'ok' : 'bad'}">${escapeHtml(verdict)}</span></header>`,
    view.problems.length === 0
      ? ''
      : `<section id="problems"><h2>Incomplete</h2>${view.problems.map((problem) => `<pre>${escapeHtml(problem)}</pre>`).join('')}</section>`,
    `<section id="groups"><h2>Sweeps</h2><table><tr><th>configuration</th><th>shards</th><th>seeds run</th><th>passed</th><th>failed</th><th>wall (summed)</th><th>slowest seed</th><th>combined trace hash</th></tr>\n${groupRows.join('\n')}\n</table></section>`,
    `<section id="failures"><h2>Failing seeds</h2>${failures.length === 0 ? '<p class="muted">none</p>' : `<table><tr><th>configuration</th><th>seed</th><th>first oracle</th><th>at ms</th><th>message</th><th>reproduce</th></tr>\n${failures.join('\n')}\n</table>`}</section>`,
    `<section id="oracles"><h2>Failures by first broken oracle</h2>${oracles.length === 0 ? '<p class="muted">none</p>' : `<table>${oracles.join('')}</table>`}</section>`,
    `<section id="coverage"><h2>Fault coverage, summed over every seed</h2>${coverageRows.length === 0 ? '<p class="muted">no coverage recorded</p>' : `<table><tr><th>fault</th>${phases.map((phase) => `<th>${escapeHtml(phase)} phase</th>`).join('')}</tr>\n${coverageRows.join('\n')}\n</table>`}</section>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
