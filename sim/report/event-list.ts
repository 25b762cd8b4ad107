import type { TimelineEvent } from '../types';
import { escapeHtml } from './escape';
import { assignMarks, type EventMark, MARK_GROUPS, markSvg } from './event-marks';
import { groupDigits } from './summary-rows';

/**
 * The event kinds and lanes of a run, each with a stable index (its CSS class `k<i>` / `l<i>`):
 * kinds ordered by legend group then name, lanes in timeline order.
 */
export interface EventIndex {
  readonly kinds: readonly string[];
  readonly marks: ReadonlyMap<string, EventMark>;
  readonly lanes: readonly string[];
  /** `k<i>` of a kind. */
  kindClass(kind: string): string;
  /** `l<i>` of a lane. */
  laneClass(lane: string): string;
}

/** Indexes the kinds and lanes of `timeline`; `lanes` gives the lane order. */
export function indexEvents(
  timeline: readonly TimelineEvent[],
  lanes: readonly string[],
): EventIndex {
  const marks = assignMarks(timeline.map((event) => event.kind));
  const groupRank = (kind: string): number =>
    MARK_GROUPS.indexOf(marks.get(kind)?.group ?? 'other');
  const kinds = [...marks.keys()].sort(
    (a, b) => groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const kindPosition = new Map(kinds.map((kind, index) => [kind, index]));
  const lanePosition = new Map(lanes.map((lane, index) => [lane, index]));
  return {
    kinds,
    marks,
    lanes,
    kindClass: (kind) => `k${kindPosition.get(kind) ?? 0}`,
    laneClass: (lane) => `l${lanePosition.get(lane) ?? 0}`,
  };
}

/** A legend swatch: the mark of `kind` in a small SVG. */
function swatch(mark: EventMark): string {
  return `<svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">${markSvg(mark, 6, 6, 5)}</svg>`;
}

/**
 * The legend, grouped (writes, network, storage, node lifecycle, clocks, checks, other): each kind
 * with its mark, its count and a checkbox that hides its marks and rows (pure CSS, see
 * `eventFilterCss`).
 */
export function legendHtml(index: EventIndex, timeline: readonly TimelineEvent[]): string {
  const counts = new Map<string, number>();
  for (const event of timeline) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  const groups = MARK_GROUPS.map((group) => {
    const members = index.kinds.filter((kind) => index.marks.get(kind)?.group === group);
    if (members.length === 0) return '';
    const items = members
      .map((kind) => {
        const mark = index.marks.get(kind);
        const id = `f${index.kindClass(kind)}`;
        return (
          `<label><input type="checkbox" id="${id}" checked/>` +
          `${mark === undefined ? '' : swatch(mark)} ${escapeHtml(kind)} ` +
          `<span class="muted">${groupDigits(counts.get(kind) ?? 0)}</span></label>`
        );
      })
      .join('');
    return `<div class="legend-group"><span class="legend-title">${escapeHtml(group)}</span>${items}</div>`;
  });
  return `<div class="legend" id="legend">${groups.join('')}</div>`;
}

/**
 * Every event the run's timeline kept, in time order, with a radio choice of node (all, the
 * gateway, the lake, faults or one client) and the legend's kind checkboxes as filters.
 */
export function eventListHtml(index: EventIndex, timeline: readonly TimelineEvent[]): string {
  const laneCounts = new Map<string, number>();
  for (const event of timeline) laneCounts.set(event.lane, (laneCounts.get(event.lane) ?? 0) + 1);
  const laneChoices = [
    `<label><input type="radio" name="lane" id="fl-all" checked/> all</label>`,
    ...index.lanes
      .filter((lane) => laneCounts.has(lane))
      .map(
        (lane) =>
          `<label><input type="radio" name="lane" id="f${index.laneClass(lane)}"/> ${escapeHtml(lane)} <span class="muted">${groupDigits(laneCounts.get(lane) ?? 0)}</span></label>`,
      ),
  ].join('');
  const rows = timeline
    .map(
      (event) =>
        `<tr class="${index.kindClass(event.kind)} ${index.laneClass(event.lane)}"><td class="num">${event.atMs}</td><td>${escapeHtml(event.lane)}</td>` +
        `<td>${escapeHtml(event.kind)}</td><td class="mono">${escapeHtml(event.detail)}</td></tr>`,
    )
    .join('\n');
  return (
    `<div class="lane-filter"><span class="legend-title">node</span>${laneChoices}</div>` +
    `<details id="event-list" open><summary>all ${groupDigits(timeline.length)} events the run's timeline kept (filter with the node choice and the kind boxes above)</summary>` +
    `<table><thead><tr><th>ms</th><th>lane</th><th>kind</th><th>detail</th></tr></thead><tbody>\n${rows}\n</tbody></table></details>`
  );
}

/**
 * The filter rules, pure CSS (`:has`), no script: an unticked kind box hides that kind's marks and
 * rows; a chosen node hides the other nodes' rows.
 */
export function eventFilterCss(index: EventIndex): string {
  const kindRules = index.kinds.map((kind) => {
    const name = index.kindClass(kind);
    return `body:has(#f${name}:not(:checked)) .${name} { display: none; }`;
  });
  const laneRules = index.lanes.map((lane) => {
    const name = index.laneClass(lane);
    return `body:has(#f${name}:checked) #event-list tbody tr:not(.${name}) { display: none; }`;
  });
  return [...kindRules, ...laneRules].join('\n');
}
