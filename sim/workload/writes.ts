import type { Prng } from '../engine/prng';
import type { PlanEvent, SimConfig } from '../types';
import { drawColumns } from './values';

/** Share of writes that go to a hot row (the first `hotRows` of a table): frequent conflicts. */
export const HOT_ROW_SHARE = 0.8;

/** How writes split between the three ops (out of 100). */
export const OP_WEIGHTS = { insert: 40, update: 45, delete: 15 } as const;

/** A plan's write event. */
export type WriteEvent = Extract<PlanEvent, { kind: 'write' }>;

/** The id of row `index` of a table. */
export function rowIdOf(index: number): string {
  return `r${index}`;
}

/**
 * Draws one client's writes over the fault phase from its own stream (`workload/client-<n>`), so
 * the writes of client 0 do not change when a client is added. Arrivals are Poisson-ish with mean
 * rate `writesPerClientPerSecond`; each write picks a table, a row (a hot one with probability
 * `HOT_ROW_SHARE`), an op by `OP_WEIGHTS` and its column values.
 */
export function drawClientWrites(config: SimConfig, client: number, prng: Prng): WriteEvent[] {
  const writes: WriteEvent[] = [];
  const rate = config.writesPerClientPerSecond;
  if (!(rate > 0) || config.tables.length === 0 || config.rowsPerTable <= 0) return writes;
  const meanGapMs = 1_000 / rate;
  const hotRows = Math.max(0, Math.min(config.hotRows, config.rowsPerTable));
  let atMs = prng.exponentialMs(meanGapMs);
  while (atMs < config.durationMs) {
    const table = prng.pick(config.tables);
    const hot = hotRows > 0 && prng.chance(HOT_ROW_SHARE);
    const rowId = rowIdOf(hot ? prng.below(hotRows) : prng.below(config.rowsPerTable));
    const roll = prng.below(100);
    const op =
      roll < OP_WEIGHTS.insert
        ? 'insert'
        : roll < OP_WEIGHTS.insert + OP_WEIGHTS.update
          ? 'update'
          : 'delete';
    const values = op === 'delete' ? Object.create(null) : drawColumns(prng, op);
    writes.push({ kind: 'write', atMs, client, op, table, rowId, values });
    atMs += Math.max(1, prng.exponentialMs(meanGapMs));
  }
  return writes;
}
