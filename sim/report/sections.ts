import { FAULT_RATE_KEYS } from '../shrink/fault-rate-keys';
import { describePlanSize, type PlanSize } from '../shrink/plan-size';
import type { OracleName, RunResult, TimelineEvent, Violation } from '../types';
import { escapeHtml } from './escape';
import { groupDigits, summaryRows } from './summary-rows';
import { kindClass } from './timeline-svg';

/** What each oracle promises (DESIGN.md section 6), in the order the report lists them. */
export const ORACLE_DESCRIPTIONS: Readonly<Record<OracleName, string>> = {
  convergence: 'every client replica = gateway index = the state folded from the lake',
  idempotency: 'no deltaId appears twice in the log or in the lake',
  durability: 'every write a client made is in the lake at the end, none lost, none invented',
  'model-agreement': 'final state = the reference model (highest (hlc, clientId) per column)',
  monotonicity: 'HLCs never go backwards on any node; no exception escapes a public API',
  liveness: 'after faults stop, convergence within a bounded virtual time',
  determinism: 'the same seed gives the same trace hash, on Node and on Bun',
  'lake-roundtrip': 'the lake written to a real S3 server reads back and folds to the same state',
};

/** Most violations listed per oracle, and most timeline events in the event table. */
export const VIOLATIONS_SHOWN_MAX = 50;
export const EVENTS_LISTED_MAX = 500;

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
  const rates = FAULT_RATE_KEYS.map((key): [string, string] => [key, String(config.faults[key])]);
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
  const rows = (Object.keys(ORACLE_DESCRIPTIONS) as OracleName[]).map((oracle) => {
    const violations = byOracle.get(oracle) ?? [];
    const skipped = oracle === 'lake-roundtrip' && !lakeChecked && violations.length === 0;
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
      `<td>${escapeHtml(ORACLE_DESCRIPTIONS[oracle])}${details}${more}</td></tr>`
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

/** A legend of the event kinds' colours and a table of the first events. */
export function eventsSection(timeline: readonly TimelineEvent[]): string {
  const kinds = [...new Set(timeline.map((event) => event.kind))].sort();
  const legend = kinds
    .map(
      (kind) =>
        `<span><svg width="10" height="10"><circle class="${kindClass(kind)}" cx="5" cy="5" r="4"/></svg> ${escapeHtml(kind)}</span>`,
    )
    .join('');
  const listed = timeline.slice(0, EVENTS_LISTED_MAX);
  const rows = listed
    .map(
      (event) =>
        `<tr><td class="num">${event.atMs}</td><td>${escapeHtml(event.lane)}</td>` +
        `<td>${escapeHtml(event.kind)}</td><td class="mono">${escapeHtml(event.detail)}</td></tr>`,
    )
    .join('\n');
  const caption =
    timeline.length > listed.length
      ? `first ${listed.length} of ${groupDigits(timeline.length)} events`
      : `all ${timeline.length} events`;
  return (
    `<div class="legend">${legend}</div>` +
    `<details><summary>${caption}</summary><table><tr><th>ms</th><th>lane</th><th>kind</th><th>detail</th></tr>\n${rows}\n</table></details>`
  );
}
