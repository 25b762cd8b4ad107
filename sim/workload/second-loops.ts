import type { Prng } from '../engine/prng';
import { drawCount } from '../faults/fault-events';
import type { PlanEvent, SimConfig } from '../types';

/** Shortest and longest life of a second sync loop (a second tab left open for a while). */
export const SECOND_LOOP_MS_MIN = 2_000;
export const SECOND_LOOP_MS_MAX = 15_000;

/** A plan's second-loop event. */
export type SecondLoopEvent = Extract<PlanEvent, { kind: 'second-loop' }>;

/**
 * Concurrency inside one client: second sync loops over a client's outbox (two tabs sharing one
 * IndexedDB outbox, or an app starting a round while another is in flight), so pushes from one
 * outbox overlap and the queue's claims must be exclusive. As many per run, on average, as the
 * profile's `secondLoopsPerRun`, else as it has client restarts (none without faults: `none`
 * keeps one loop per client). Each starts
 * and ends inside the fault phase. Drawn from its own stream (`workload/second-loops`).
 */
export function drawSecondLoops(config: SimConfig, prng: Prng): SecondLoopEvent[] {
  const loops: SecondLoopEvent[] = [];
  const { durationMs, clients } = config;
  if (durationMs <= 0 || clients <= 0) return loops;
  const expected = config.faults.secondLoopsPerRun ?? config.faults.clientRestartsPerRun;
  for (let n = drawCount(prng, expected); n > 0; n--) {
    const atMs = prng.below(durationMs);
    const client = prng.below(clients);
    const lengthMs = prng.between(SECOND_LOOP_MS_MIN, SECOND_LOOP_MS_MAX);
    loops.push({
      kind: 'second-loop',
      atMs,
      client,
      durationMs: Math.max(1, Math.min(lengthMs, durationMs - atMs)),
    });
  }
  return loops;
}
