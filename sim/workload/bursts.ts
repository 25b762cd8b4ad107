import type { Prng } from '../engine/prng';
import type { WriteEvent } from './writes';

/** Share of writes that another client mirrors in the same millisecond (a conflict burst). */
export const BURST_PROBABILITY = 0.08;

/**
 * Conflict bursts: for some writes, another client writes the same columns of the same row in the
 * same virtual millisecond, with different values. Two clients whose clocks agree then stamp equal
 * HLCs, so the tie-break by `clientId` is exercised on every seed, not only by luck. Drawn from
 * its own stream (`workload/bursts`), so the clients' own write streams are unchanged.
 */
export function drawConflictBursts(
  writes: readonly WriteEvent[],
  clients: number,
  prng: Prng,
): WriteEvent[] {
  const bursts: WriteEvent[] = [];
  if (clients < 2) return bursts;
  for (const write of writes) {
    if (write.op === 'delete' || !prng.chance(BURST_PROBABILITY)) continue;
    const other = (write.client + 1 + prng.below(clients - 1)) % clients;
    const values: Record<string, unknown> = Object.create(null);
    for (const column of Object.keys(write.values)) {
      values[column] = rival(write.values[column], other);
    }
    bursts.push({ ...write, client: other, op: 'update', values });
  }
  return bursts;
}

/** A value of the same kind that differs from `value`, marked with the rival client. */
export function rival(value: unknown, client: number): unknown {
  if (typeof value === 'number') return value + client + 1;
  if (typeof value === 'boolean') return !value;
  return `rival-${client}`;
}
