import { SHRINKABLE_RATE_KEYS } from '../shrink/fault-rate-keys';
import { describePlanSize, type PlanSize } from '../shrink/plan-size';
import type { OracleName, RunResult, Violation } from '../types';
import { escapeHtml } from './escape';
import { describeOracle, LAKE_ORACLE, oracleNames } from './oracle-catalogue';
import { groupDigits, summaryRows } from './summary-rows';

export { ORACLE_DESCRIPTIONS } from './oracle-catalogue';

/** Most violations listed per oracle. */
export const VIOLATIONS_SHOWN_MAX = 50;

/** What the shrinker did, when the run failed and was shrunk. */
export interface ShrinkSummary {
  readonly runs: number;
  readonly before: PlanSize;
  readonly after: PlanSize;
  readonly planPath: string;
}

/** A two-column table of label → value; both escaped. */
export function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  const body = rows
    .map(
      ([label, value]) =>
        `<tr><th>${escapeHtml(label)}</th><td class="mono">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  return `<table>\n${body}\n</table>`;
}

/** Parameters of the scenario and every fault rate. */
export function parametersSection(result: RunResult): string {
  const { config, events, seed } = result.plan;
  const parameters: [string, string][] = [
    ['seed', String(seed)],
    ['clients', String(config.clients)],
    ['tables', config.tables.join(', ')],
    ['rows per table (hot)', `${config.rowsPerTable} (${config.hotRows})`],
    ['fault phase', `${groupDigits(config.durationMs)} ms`],
    ['heal phase', `${groupDigits(config.healMs)} ms`],
    ['writes per client per second', String(config.writesPerClientPerSecond)],
    ['fault profile', config.faultProfile],
    ['plan events', groupDigits(events.length)],
  ];
  const rates = SHRINKABLE_RATE_KEYS.map((key): [string, string] => [
    key,
    String(config.faults[key] ?? 0),
  ]);
  return (
    `<section id="parameters"><h2>Parameters</h2><div class="columns">` +
    `<div>${keyValueTable(parameters)}</div>` +
    `<div id="fault-rates"><h3>Fault rates</h3>${keyValueTable(rates)}</div>` +
    `</div></section>`
  );
}

/** Every oracle with pass, fail (and what it saw) or "not checked". */
export function oraclesSection(result: RunResult, lakeChecked: boolean): string {
  const byOracle = new Map<OracleName, Violation[]>();
  for (const violation of result.violations) {
    const list = byOracle.get(violation.oracle) ?? [];
    list.push(violation);
    byOracle.set(violation.oracle, list);
  }
  // Failing oracles first, in the order of their first violation (root cause first), then the rest.
  const failing = [...byOracle.keys()];
  const names = [...failing, ...oracleNames(result).filter((name) => !byOracle.has(name))];
  const rows = names.map((oracle) => {
    const violations = byOracle.get(oracle) ?? [];
    const skipped = oracle === LAKE_ORACLE && !lakeChecked && violations.length === 0;
    const verdict = skipped
      ? '<span class="skip">not checked</span>'
      : violations.length === 0
        ? '<span class="pass">pass</span>'
        : '<span class="fail">FAIL</span>';
    const shown = violations.slice(0, VIOLATIONS_SHOWN_MAX);
    const details = shown
      .map(
        (violation) => `<pre>${escapeHtml(`at ${violation.atMs} ms: ${violation.message}`)}</pre>`,
      )
      .join('');
    const more =
      violations.length > shown.length
        ? `<p class="muted">and ${violations.length - shown.length} more</p>`
        : '';
    return (
      `<tr><td>${verdict}</td><th>${escapeHtml(oracle)}</th>` +
      `<td>${escapeHtml(describeOracle(oracle))}${details}${more}</td></tr>`
    );
  });
  return `<section id="oracles"><h2>Oracles</h2><table>\n${rows.join('\n')}\n</table></section>`;
}

/**
 * Fault kind × phase: how often each fault fired. A zero in the fault phase is highlighted (that
 * fault was not exercised); the heal phase is quiet by design.
 */
export function coverageSection(result: RunResult): string {
  const kinds = Object.keys(result.coverage).sort();
  const rows = kinds.map((kind) => {
    const counts = result.coverage[kind] ?? { fault: 0, heal: 0 };
    const faultCell = `<td class="num${counts.fault === 0 ? ' zero' : ''}">${groupDigits(counts.fault)}</td>`;
    return `<tr><th>${escapeHtml(kind)}</th>${faultCell}<td class="num">${groupDigits(counts.heal)}</td></tr>`;
  });
  const body =
    rows.length === 0
      ? '<p class="muted">no faults fired</p>'
      : `<table><tr><th>fault</th><th>fault phase</th><th>heal phase</th></tr>\n${rows.join('\n')}\n</table>`;
  return `<section id="coverage"><h2>Fault × phase coverage</h2>${body}</section>`;
}

/** The summary figures, as in the CLI's table. */
export function summarySection(result: RunResult): string {
  const rows = summaryRows(result.stats).map(({ label, value }): [string, string] => [
    label,
    value,
  ]);
  return `<section id="summary"><h2>Summary</h2>${keyValueTable(rows)}</section>`;
}

/** The trace hash, the replay command and, after a failure, what the shrinker did. */
export function replaySection(
  result: RunResult,
  replayCommand: string,
  shrink: ShrinkSummary | null,
): string {
  const shrunk =
    shrink === null
      ? ''
      : keyValueTable([
          ['shrunk in', `${shrink.runs} runs`],
          ['before', describePlanSize(shrink.before)],
          ['after', describePlanSize(shrink.after)],
          ['minimal plan', shrink.planPath],
        ]);
  return (
    `<section id="replay"><h2>Trace hash and replay</h2>` +
    `<pre id="trace-hash">trace hash: ${escapeHtml(result.traceHash)}</pre>` +
    `<pre id="replay-command">${escapeHtml(replayCommand)}</pre>${shrunk}</section>`
  );
}

/**
 * The first violation, right under the title: the oracle, when, what it saw, and the command that
 * replays the run. Violations arrive root cause first (the engine orders them), so this is where
 * to start reading. Empty for a passing run.
 */
export function firstViolationSection(result: RunResult, replayCommand: string): string {
  const first = result.violations[0];
  if (first === undefined) return '';
  const others = result.violations.length - 1;
  const more =
    others === 0 ? '' : `<p class="muted">then ${groupDigits(others)} more (see Oracles)</p>`;
  return (
    `<section id="first-violation" class="first-violation"><h2>First violation: ${escapeHtml(first.oracle)} at ${groupDigits(first.atMs)} ms</h2>` +
    `<pre>${escapeHtml(first.message)}</pre>${more}` +
    `<p>replay: <code>${escapeHtml(replayCommand)}</code></p></section>`
  );
}
