import type { Prng } from '../engine/prng';
import type { PlanEvent, SimConfig } from '../types';
import { rival } from './bursts';
import { drawColumns } from './values';
import { rowIdOf, type WriteEvent } from './writes';

/**
 * How far ahead of true time a cohort's clocks run: at the gateway's drift limit, less a margin
 * for the gateway clock's own drift. Every stamp the gateway accepted before is at most its wall
 * clock + 5 s, so the cohort's wall clocks are above everything its members absorbed, and two
 * members writing in the same millisecond stamp the very same HLC `(wall, 0)`.
 */
export const COHORT_AHEAD_MS = 4_990;
/** How long a cohort's clocks agree, and how many rival write pairs it makes in that time. */
export const COHORT_MS = 2_000;
export const COHORT_PAIRS = 6;
/** Cohorts per run (in runs with clock skew: without skew, conflict bursts already tie). */
export const COHORTS_PER_RUN = 2;

/**
 * Conflict cohorts: in runs with skewed clocks equal HLCs never happen by themselves, so the
 * clientId tie-break would go untested. A cohort is two or three clients whose clocks are set to
 * agree exactly (`clock-skew` events with the same skew and no drift) for `COHORT_MS`, during
 * which pairs of them write the same columns of the same hot row in the same millisecond with
 * different values; then their clocks go back to true time. Drawn from its own stream
 * (`workload/cohorts`), so the other streams are unchanged.
 */
export function drawConflictCohorts(config: SimConfig, prng: Prng): PlanEvent[] {
  const events: PlanEvent[] = [];
  const { clients, durationMs, tables } = config;
  if (clients < 2 || config.faults.clockSkewsPerRun <= 0 || tables.length === 0) return events;
  if (durationMs <= COHORT_MS + 1) return events;
  for (let cohort = 0; cohort < COHORTS_PER_RUN; cohort++) {
    const startMs = prng.below(durationMs - COHORT_MS - 1);
    const members = drawMembers(prng, clients, Math.min(clients, prng.between(2, 3)));
    for (const client of members) {
      events.push({
        kind: 'clock-skew',
        atMs: startMs,
        client,
        skewMs: COHORT_AHEAD_MS,
        driftPpm: 0,
      });
    }
    for (let pair = 0; pair < COHORT_PAIRS; pair++) {
      const atMs = startMs + 1 + prng.below(COHORT_MS - 1);
      const first = prng.pick(members);
      const second = members[(members.indexOf(first) + 1) % members.length] as number;
      const table = prng.pick(tables);
      const rowId = rowIdOf(prng.below(Math.max(1, Math.min(config.hotRows, config.rowsPerTable))));
      const values = drawColumns(prng, 'update');
      const write: WriteEvent = {
        kind: 'write',
        atMs,
        client: first,
        op: 'update',
        table,
        rowId,
        values,
      };
      const rivalValues: Record<string, unknown> = Object.create(null);
      for (const column of Object.keys(values)) rivalValues[column] = rival(values[column], second);
      events.push(write, { ...write, client: second, values: rivalValues });
    }
    for (const client of members) {
      events.push({
        kind: 'clock-skew',
        atMs: startMs + COHORT_MS,
        client,
        skewMs: 0,
        driftPpm: 0,
      });
    }
  }
  return events;
}

function drawMembers(prng: Prng, clients: number, size: number): number[] {
  const members: number[] = [];
  while (members.length < size) {
    const client = prng.below(clients);
    if (!members.includes(client)) members.push(client);
  }
  return members;
}
