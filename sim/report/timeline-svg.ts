import type { Plan, PlanEvent, TimelineEvent } from '../types';
import { escapeHtml } from './escape';
import { type EventIndex, indexEvents } from './event-list';
import { markSvg } from './event-marks';
import { TIMELINE_CSS } from './styles';

/** Most event marks drawn; above it every k-th event is drawn and the caption says so. */
export const TIMELINE_MARKS_MAX = 4_000;
/** Most fault bands drawn. */
export const TIMELINE_BANDS_MAX = 2_000;

const LABEL_WIDTH_PX = 96;
const PLOT_WIDTH_PX = 1_100;
const LANE_HEIGHT_PX = 20;
const LANE_GAP_PX = 4;
const AXIS_HEIGHT_PX = 24;
const MARK_RADIUS_PX = 3.5;

/** The lanes of a run, top to bottom: faults, gateway, lake, each client, then any other lane. */
export function timelineLanes(plan: Plan, timeline: readonly TimelineEvent[]): string[] {
  const lanes = ['faults', 'gateway', 'lake'];
  for (let client = 0; client < plan.config.clients; client++) lanes.push(`client-${client}`);
  const extra = new Set<string>();
  for (const event of timeline) if (!lanes.includes(event.lane)) extra.add(event.lane);
  return [...lanes, ...[...extra].sort()];
}

/**
 * An inline SVG of the run: one lane per node, the heal phase shaded, scheduled faults drawn as
 * bands (partitions, offline periods, restarts) or ticks (clock skews and jumps), and each timeline
 * event as a mark of its kind (`assignMarks`: a shape and colour per kind) whose tooltip gives its
 * time, kind and detail. Every text is escaped.
 */
export function renderTimelineSvg(
  plan: Plan,
  timeline: readonly TimelineEvent[],
  index?: EventIndex,
): string {
  const lanes = timelineLanes(plan, timeline);
  const events = index ?? indexEvents(timeline, lanes);
  const laneIndex = new Map(lanes.map((lane, index) => [lane, index]));
  const lastEventMs = timeline.reduce((latest, event) => Math.max(latest, event.atMs), 0);
  const faultMs = Math.max(0, plan.config.durationMs);
  const totalMs = Math.max(1, faultMs + plan.config.healMs, lastEventMs);
  const scale = phaseScale(faultMs, totalMs);
  const x = (atMs: number): number => LABEL_WIDTH_PX + scale(atMs);
  const laneY = (lane: string): number =>
    (laneIndex.get(lane) ?? 0) * (LANE_HEIGHT_PX + LANE_GAP_PX);
  const plotHeight = lanes.length * (LANE_HEIGHT_PX + LANE_GAP_PX);
  const width = LABEL_WIDTH_PX + PLOT_WIDTH_PX + 8;
  const height = plotHeight + AXIS_HEIGHT_PX;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline">`,
    `<style>${TIMELINE_CSS}</style>`,
    `<rect class="backdrop" x="0" y="0" width="${width}" height="${height}"/>`,
  ];
  for (const lane of lanes) {
    const y = laneY(lane);
    parts.push(
      `<rect class="lane" x="${LABEL_WIDTH_PX}" y="${y}" width="${PLOT_WIDTH_PX}" height="${LANE_HEIGHT_PX}"/>`,
      `<text class="lane-label" x="${LABEL_WIDTH_PX - 6}" y="${y + 14}">${escapeHtml(lane)}</text>`,
    );
  }
  const healX = x(plan.config.durationMs);
  parts.push(
    `<rect class="heal" x="${num(healX)}" y="0" width="${num(x(totalMs) - healX)}" height="${plotHeight}"><title>heal phase: faults stop, clocks re-sync</title></rect>`,
  );
  for (const band of faultBands(plan.events, faultMs).slice(0, TIMELINE_BANDS_MAX)) {
    for (const lane of band.lanes) {
      if (!laneIndex.has(lane)) continue;
      const left = x(band.fromMs);
      const bandWidth = Math.max(2, x(band.toMs) - left);
      parts.push(
        `<rect class="band ${band.kind}" x="${num(left)}" y="${laneY(lane) + 2}" width="${num(bandWidth)}" height="${LANE_HEIGHT_PX - 4}"><title>${escapeHtml(band.title)}</title></rect>`,
      );
    }
  }
  const step = Math.max(1, Math.ceil(timeline.length / TIMELINE_MARKS_MAX));
  for (let index = 0; index < timeline.length; index += step) {
    const event = timeline[index];
    if (event === undefined) continue;
    const title = `${event.atMs} ms ${event.lane} ${event.kind}: ${event.detail}`;
    const mark = events.marks.get(event.kind);
    if (mark === undefined) continue;
    parts.push(
      markSvg(
        mark,
        x(event.atMs),
        laneY(event.lane) + LANE_HEIGHT_PX / 2,
        MARK_RADIUS_PX,
        `class="mark ${events.kindClass(event.kind)}"`,
        `<title>${escapeHtml(title)}</title>`,
      ),
    );
  }
  parts.push(...axis(faultMs, totalMs, plotHeight, x), '</svg>');
  return parts.join('\n');
}

/** How many timeline events the SVG draws (every k-th above `TIMELINE_MARKS_MAX`). */
export function drawnMarks(eventCount: number): number {
  const step = Math.max(1, Math.ceil(eventCount / TIMELINE_MARKS_MAX));
  return Math.ceil(eventCount / step);
}

interface FaultBand {
  readonly kind: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly lanes: readonly string[];
  readonly title: string;
}

/**
 * The scheduled faults of a plan as bands: lanes they touch, from when, until when. Partitions and
 * offline periods end at `healAtMs` at the latest (the heal phase lifts them); restarts still down
 * then come back on schedule.
 */
export function faultBands(
  events: readonly PlanEvent[],
  healAtMs = Number.POSITIVE_INFINITY,
): FaultBand[] {
  const bands: FaultBand[] = [];
  const lifted = (toMs: number): number => Math.min(toMs, healAtMs);
  for (const event of events) {
    const at = event.atMs;
    switch (event.kind) {
      case 'write':
        break;
      case 'partition': {
        const lanes = ['faults', ...event.clients.map((client) => `client-${client}`)];
        const title = `${at} ms partition (${event.direction}) of clients ${event.clients.join(', ')} for ${event.durationMs} ms`;
        bands.push({
          kind: 'partition',
          fromMs: at,
          toMs: lifted(at + event.durationMs),
          lanes,
          title,
        });
        break;
      }
      case 'offline':
        bands.push({
          kind: 'offline',
          fromMs: at,
          toMs: lifted(at + event.durationMs),
          lanes: ['faults', `client-${event.client}`],
          title: `${at} ms client ${event.client} offline for ${event.durationMs} ms`,
        });
        break;
      case 'gateway-restart':
        bands.push({
          kind: 'restart',
          fromMs: at,
          toMs: at + event.downMs,
          lanes: ['faults', 'gateway'],
          title: `${at} ms gateway restart, down ${event.downMs} ms`,
        });
        break;
      case 'client-restart':
        bands.push({
          kind: 'restart',
          fromMs: at,
          toMs: at + event.downMs,
          lanes: ['faults', `client-${event.client}`],
          title: `${at} ms client ${event.client} restart, down ${event.downMs} ms`,
        });
        break;
      case 'clock-skew':
        bands.push({
          kind: 'clock',
          fromMs: at,
          toMs: at,
          lanes: ['faults', `client-${event.client}`],
          title: `${at} ms client ${event.client} clock skew ${event.skewMs} ms, drift ${event.driftPpm} ppm`,
        });
        break;
      case 'clock-jump':
        bands.push({
          kind: 'clock',
          fromMs: at,
          toMs: at,
          lanes: ['faults', `client-${event.client}`],
          title: `${at} ms client ${event.client} clock jump ${event.jumpMs} ms`,
        });
        break;
      case 'backup-restore': {
        const crashMs = at + event.restoreAfterMs;
        bands.push({
          kind: 'restart',
          fromMs: crashMs,
          toMs: crashMs + event.downMs,
          lanes: ['faults', `client-${event.client}`],
          title: `${crashMs} ms client ${event.client} restored from its backup of ${at} ms, down ${event.downMs} ms`,
        });
        break;
      }
    }
  }
  return bands;
}

/** Least share of the plot width given to the fault phase, however long the heal phase is. */
const FAULT_PHASE_SHARE_MIN = 0.65;
const TICK_SPACING_PX_MIN = 40;

/**
 * Maps virtual ms to plot pixels, piecewise linear: the fault phase `[0, faultMs]` takes at least
 * `FAULT_PHASE_SHARE_MIN` of the width (a long, quiet heal phase would otherwise squash the part
 * where everything happens), the heal phase `[faultMs, totalMs]` the rest. Monotonic and clamped.
 */
export function phaseScale(faultMs: number, totalMs: number): (atMs: number) => number {
  const share =
    faultMs >= totalMs ? 1 : faultMs <= 0 ? 0 : Math.max(faultMs / totalMs, FAULT_PHASE_SHARE_MIN);
  const faultWidth = PLOT_WIDTH_PX * share;
  return (atMs) => {
    const clamped = Math.min(Math.max(atMs, 0), totalMs);
    if (clamped <= faultMs) return faultMs === 0 ? 0 : (clamped / faultMs) * faultWidth;
    return faultWidth + ((clamped - faultMs) / (totalMs - faultMs)) * (PLOT_WIDTH_PX - faultWidth);
  };
}

/** The time axis: ticks at round seconds, spaced separately in each phase. */
function axis(
  faultMs: number,
  totalMs: number,
  top: number,
  x: (atMs: number) => number,
): string[] {
  const parts = [
    `<line class="axis" x1="${LABEL_WIDTH_PX}" y1="${top + 2}" x2="${LABEL_WIDTH_PX + PLOT_WIDTH_PX}" y2="${top + 2}"/>`,
  ];
  const ticks: number[] = [];
  for (const [fromMs, toMs] of [
    [0, faultMs],
    [faultMs, totalMs],
  ] as const) {
    const widthPx = x(toMs) - x(fromMs);
    if (widthPx <= 0) continue;
    const stepMs = niceStep(((toMs - fromMs) * TICK_SPACING_PX_MIN * 2) / widthPx);
    for (let atMs = fromMs; atMs <= toMs; atMs += stepMs) ticks.push(atMs);
  }
  let lastX = Number.NEGATIVE_INFINITY;
  for (const atMs of ticks) {
    const tickX = x(atMs);
    if (tickX - lastX < TICK_SPACING_PX_MIN) continue;
    lastX = tickX;
    parts.push(
      `<line class="axis" x1="${num(tickX)}" y1="${top + 2}" x2="${num(tickX)}" y2="${top + 6}"/>`,
      `<text class="tick" x="${num(tickX)}" y="${top + 18}">${escapeHtml(`${atMs / 1000} s`)}</text>`,
    );
  }
  return parts;
}

/** The smallest of 1, 2 or 5 × 10^k that is at least `roughMs` (at least 1 ms). */
function niceStep(roughMs: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(roughMs, 1)));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * magnitude >= roughMs) return factor * magnitude;
  }
  return 10 * magnitude;
}

function num(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
