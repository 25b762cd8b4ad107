import type { TimelineEvent } from '../types';

/** Rows kept per category; the three add up to `TIMELINE_ROWS_MAX`. */
export const TIMELINE_BUDGETS = { write: 2_000, noise: 1_000, major: 2_000 } as const;

/** Bound on the rows of a run's timeline. */
export const TIMELINE_ROWS_MAX =
  TIMELINE_BUDGETS.write + TIMELINE_BUDGETS.noise + TIMELINE_BUDGETS.major;

/**
 * `write`: sampled writes; `noise`: per-message and per-call faults (drops, lost replies, storage
 * failures); `major`: scheduled faults, restarts, flushes, phase changes.
 */
export type TimelineCategory = keyof typeof TIMELINE_BUDGETS;

interface Lane {
  rows: Array<TimelineEvent & { readonly order: number }>;
  stride: number;
  seen: number;
}

/**
 * The report's timeline, bounded: each category keeps at most its budget of rows. When a
 * category fills up it keeps every other row and from then on records every second one
 * (decimation), so the kept rows stay spread evenly over the whole run rather than bunched at the
 * start. Memory is O(`TIMELINE_ROWS_MAX`) however long the run.
 */
export class Timeline {
  readonly #lanes = new Map<TimelineCategory, Lane>();
  #order = 0;

  /**
   * Offers a row; it is kept if its category's current stride selects it. Pass `detail` as a
   * function when it is costly to build: it is called only for rows that are kept.
   */
  add(
    category: TimelineCategory,
    atMs: number,
    lane: string,
    kind: string,
    detail: string | (() => string),
  ): void {
    let state = this.#lanes.get(category);
    if (state === undefined) {
      state = { rows: [], stride: 1, seen: 0 };
      this.#lanes.set(category, state);
    }
    const index = state.seen++;
    if (index % state.stride !== 0) return;
    const text = typeof detail === 'string' ? detail : detail();
    state.rows.push({ atMs, lane, kind, detail: text, order: this.#order++ });
    if (state.rows.length >= TIMELINE_BUDGETS[category]) {
      state.rows = state.rows.filter((_, position) => position % 2 === 0);
      state.stride *= 2;
    }
  }

  /** Every kept row in time order (ties in the order offered). */
  rows(): TimelineEvent[] {
    const all: Array<TimelineEvent & { readonly order: number }> = [];
    for (const state of this.#lanes.values()) for (const row of state.rows) all.push(row);
    all.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    return all.map(({ atMs, lane, kind, detail }) => ({ atMs, lane, kind, detail }));
  }
}
