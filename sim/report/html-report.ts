import type { RunResult } from '../types';
import { escapeHtml } from './escape';
import { eventFilterCss, eventListHtml, indexEvents, legendHtml } from './event-list';
import {
  coverageSection,
  firstViolationSection,
  oraclesSection,
  parametersSection,
  replaySection,
  type ShrinkSummary,
  summarySection,
} from './sections';
import { REPORT_CSS } from './styles';
import { drawnMarks, renderTimelineSvg, timelineLanes } from './timeline-svg';

/** Everything one run's report shows. */
export interface ReportInput {
  readonly result: RunResult;
  /** The one command that reproduces this run. */
  readonly replayCommand: string;
  /** What the shrinker did, when the run failed and was shrunk. */
  readonly shrink?: ShrinkSummary | null;
  /** Whether the lake was written to a real S3 server and read back. */
  readonly lakeChecked: boolean;
}

/**
 * Renders a self-contained HTML page of one run: inline CSS and SVG, no scripts, fonts or network
 * requests, every piece of run data escaped. Sections, in order: verdict, the first violation
 * (`#first-violation`, failing runs only), parameters and fault rates (`#parameters`,
 * `#fault-rates`), timeline with its grouped legend and every event kept, filterable by node and
 * kind (`#timeline`, `#legend`, `#event-list`), oracles, failing first (`#oracles`), fault × phase
 * coverage (`#coverage`), summary (`#summary`), trace hash and replay command (`#replay`).
 * Deterministic for a given input.
 */
export function renderRunReport(input: ReportInput): string {
  const { result } = input;
  const seed = String(result.plan.seed);
  const verdict = result.ok
    ? '<span class="verdict ok">every oracle holds</span>'
    : `<span class="verdict bad">${result.violations.length} violation${result.violations.length === 1 ? '' : 's'}</span>`;
  const drawn = drawnMarks(result.timeline.length);
  const events = indexEvents(result.timeline, timelineLanes(result.plan, result.timeline));
  const timelineNote =
    drawn < result.timeline.length
      ? `<p class="muted">${drawn} of ${result.timeline.length} events drawn, evenly spaced</p>`
      : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeHtml(`LakeSync simulation — seed ${seed}`)}</title>`,
    `<style>${REPORT_CSS}\n${eventFilterCss(events)}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(`LakeSync simulation — seed ${seed}`)}</h1>${verdict}</header>`,
    firstViolationSection(result, input.replayCommand),
    parametersSection(result),
    `<section id="timeline"><h2>Timeline</h2>${timelineNote}${legendHtml(events, result.timeline)}` +
      `<div class="scroll">${renderTimelineSvg(result.plan, result.timeline, events)}</div>` +
      `${eventListHtml(events, result.timeline)}</section>`,
    oraclesSection(result, input.lakeChecked),
    coverageSection(result),
    summarySection(result),
    replaySection(result, input.replayCommand, input.shrink ?? null),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The run as JSON without the lake's bytes: `lakeObjects` becomes a list of `{ key, size }`.
 * Deterministic key order follows the `RunResult`.
 */
export function runResultJson(result: RunResult): string {
  const lakeObjects = [...result.lakeObjects].map(([key, bytes]) => ({
    key,
    size: bytes.byteLength,
  }));
  return `${JSON.stringify({ ...result, lakeObjects }, jsonSafe, 2)}\n`;
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
