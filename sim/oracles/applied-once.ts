import type { RowDelta } from '../../src/delta/types';
import { describeDelta, describeHlc } from './describe';

/** What the oracle needs from the write ledger: which stampings are one write. */
export interface WriteIdentities {
  /** The write a stamping belongs to when it was ever stamped again (else `null`). */
  identityOf(deltaId: string): string | null;
  /** Writes that may legitimately be applied twice (the limits ADR-021 names). */
  mayRepeat(identity: string): boolean;
}

/**
 * The applied-once oracle: every user write is applied at most once. A client stamps a queued
 * write again when its id looks reused (ADR-021), and the new stamping is a new delta; if the
 * gateway had already accepted the old one (an outbox restored from a backup taken while the
 * write was unsent), the write is applied twice, the second time under a newer version — over
 * every later edit of the same columns, the writer's own included: a value that goes back in
 * time, which convergence, idempotency (the two deltas have different ids) and durability cannot
 * see. The ledger knows a write's identity across restamps; this checks that the lake and the
 * gateway log (`deltas`, in any order, repeats allowed) hold at most one stamping of each.
 * Returns one message per write applied twice, at most `limit`, then a count. Costs one lookup
 * per delta, and one more pass when some write was applied twice.
 */
export function checkAppliedOnce(
  deltas: readonly RowDelta[],
  identities: WriteIdentities,
  limit = 20,
): string[] {
  const stampings = new Map<string, Map<string, RowDelta>>();
  for (const delta of deltas) {
    const identity = identities.identityOf(delta.deltaId);
    if (identity === null) continue;
    const seen = stampings.get(identity);
    if (seen === undefined) stampings.set(identity, new Map([[delta.deltaId, delta]]));
    else seen.set(delta.deltaId, delta);
  }
  const repeats: Array<readonly [RowDelta, RowDelta]> = [];
  for (const [identity, seen] of stampings) {
    if (seen.size < 2 || identities.mayRepeat(identity)) continue;
    const [first, again] = [...seen.values()].sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
    repeats.push([first as RowDelta, again as RowDelta]);
  }
  if (repeats.length === 0) return [];
  // Only now, for the rows of the writes applied twice: what else was written to them.
  const rows = new Set(repeats.map(([first]) => rowOf(first)));
  const byRow = new Map<string, RowDelta[]>();
  for (const delta of deltas) {
    const row = rowOf(delta);
    if (!rows.has(row)) continue;
    const listed = byRow.get(row);
    if (listed === undefined) byRow.set(row, [delta]);
    else listed.push(delta);
  }
  const messages = repeats
    .slice(0, limit)
    .map(([first, again]) => describeRepeat(first, again, byRow));
  if (repeats.length > limit) {
    messages.push(`… and ${repeats.length - limit} more write(s) applied twice`);
  }
  return messages;
}

function rowOf(delta: RowDelta): string {
  return `${delta.table}\u0000${delta.rowId}`;
}

/**
 * One write applied twice, and what it reverts: the writer's own edits of the same columns
 * stamped between the two stampings (the user-visible failure), else anyone's.
 */
function describeRepeat(
  first: RowDelta,
  again: RowDelta,
  byRow: ReadonlyMap<string, readonly RowDelta[]>,
): string {
  const columns = new Set(first.columns.map((column) => column.column));
  const overwritten = (byRow.get(rowOf(first)) ?? []).filter(
    (delta) =>
      delta.hlc > first.hlc &&
      delta.hlc < again.hlc &&
      (delta.op === 'DELETE' ||
        first.op === 'DELETE' ||
        delta.columns.some((column) => columns.has(column.column))),
  );
  const own = overwritten.filter((delta) => delta.clientId === first.clientId);
  const reverted = own[0] ?? overwritten[0];
  const what =
    reverted === undefined
      ? 'nothing was written in between'
      : `it reverts ${reverted.clientId === first.clientId ? "the writer's own later edit" : 'a later edit'} ${describeDelta(reverted)}`;
  return (
    `write ${describeDelta(first)} is applied twice: the lake holds it again as ` +
    `${describeDelta(again)} (stamped again at ${describeHlc(again.hlc)} after the gateway had ` +
    `accepted it); ${what}`
  );
}
