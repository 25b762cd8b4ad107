import { assert } from '../../src/result/assert';
import { createPrng } from '../engine/prng';
import { drawFaultEvents } from '../faults/fault-events';
import type { Plan, PlanEvent, SimConfig } from '../types';
import { drawConflictBursts } from './bursts';
import { drawConflictCohorts } from './cohorts';
import { drawSecondLoops } from './second-loops';
import { drawClientWrites, type WriteEvent } from './writes';

/** Bound on the events of one plan; a config that would exceed it is refused. */
export const PLAN_EVENTS_MAX = 2_000_000;

/**
 * Turns a config into an explicit, replayable plan: every client's writes (each from its own
 * `workload/client-<n>` stream), conflict bursts (`workload/bursts`: another client writing the
 * same columns in the same millisecond), the scheduled faults (from the `faults` stream), conflict
 * cohorts (`workload/cohorts`: clients whose clocks agree exactly for a burst, in skewed runs) and
 * second sync loops (`workload/second-loops`), merged and sorted by `atMs` with ties kept in that
 * order (clients by index, then faults, cohorts, second loops). Pure and
 * deterministic: the same config gives the same plan on every engine.
 */
export function generatePlan(config: SimConfig): Plan {
  assert(Number.isSafeInteger(config.seed), `seed must be a safe integer, got ${config.seed}`);
  if (!(Number.isSafeInteger(config.clients) && config.clients >= 1)) {
    assert(false, `clients must be ≥ 1, got ${config.clients}`);
  }
  assert(config.durationMs >= 0 && config.healMs >= 0, 'durationMs and healMs must be ≥ 0');
  const events: PlanEvent[] = [];
  const writes: WriteEvent[] = [];
  for (let client = 0; client < config.clients; client++) {
    const drawn = drawClientWrites(
      config,
      client,
      createPrng(config.seed, `workload/client-${client}`),
    );
    for (const write of drawn) writes.push(write);
  }
  const bursts = drawConflictBursts(
    writes,
    config.clients,
    createPrng(config.seed, 'workload/bursts'),
  );
  for (const write of [...writes, ...bursts]) {
    events.push(write);
    if (events.length > PLAN_EVENTS_MAX)
      assert(false, `plan over its bound of ${PLAN_EVENTS_MAX} events`);
  }
  for (const fault of drawFaultEvents(config, createPrng(config.seed, 'faults')))
    events.push(fault);
  for (const event of drawConflictCohorts(config, createPrng(config.seed, 'workload/cohorts')))
    events.push(event);
  for (const loop of drawSecondLoops(config, createPrng(config.seed, 'workload/second-loops')))
    events.push(loop);
  events.sort((a, b) => a.atMs - b.atMs);
  return { version: 1, seed: config.seed, config, events };
}
