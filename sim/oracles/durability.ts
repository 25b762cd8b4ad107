import type { RowDelta } from '../../src/delta/types';
import { describeDelta } from './describe';
import { canonicalValue } from './rows-view';

/** A write the simulator issued and the client acknowledged (its call returned `Ok`). */
export interface IssuedWrite {
  readonly delta: RowDelta;
  /** Virtual time of the write call. */
  readonly atMs: number;
}

/**
 * Oracle 3, durability: every acknowledged write is in the lake with exactly the content the
 * client returned (none lost, none altered), and the lake holds nothing no client wrote (none
 * invented). Returns one message per problem, at most `limit`, then a count.
 */
export function checkDurability(
  issued: ReadonlyMap<string, IssuedWrite>,
  lakeDeltas: readonly RowDelta[],
  limit = 20,
): string[] {
  const messages: string[] = [];
  let more = 0;
  const note = (text: string): void => {
    if (messages.length < limit) messages.push(text);
    else more++;
  };
  const inLake = new Map<string, RowDelta>();
  for (const delta of lakeDeltas) inLake.set(delta.deltaId, delta);
  for (const [deltaId, write] of issued) {
    const stored = inLake.get(deltaId);
    if (stored === undefined) {
      note(
        `write ${describeDelta(write.delta)} made at ${write.atMs} ms was acknowledged but is not in the lake`,
      );
    } else if (!sameContent(stored, write.delta)) {
      note(
        `write ${describeDelta(write.delta)} is in the lake with different content: ${contentOf(stored)} instead of ${contentOf(write.delta)}`,
      );
    }
  }
  for (const [deltaId, delta] of inLake) {
    if (!issued.has(deltaId)) note(`the lake holds ${describeDelta(delta)}, which no client wrote`);
  }
  if (more > 0) messages.push(`… and ${more} more durability problem(s)`);
  return messages;
}

/** Equal writes: the cheap exact comparison first, the canonical one (key order free) if it differs. */
function sameContent(a: RowDelta, b: RowDelta): boolean {
  if (a.op !== b.op || a.hlc !== b.hlc || a.clientId !== b.clientId) return false;
  if (a.table !== b.table || a.rowId !== b.rowId) return false;
  if (JSON.stringify(a.columns) === JSON.stringify(b.columns)) return true;
  return contentOf(a) === contentOf(b);
}

function contentOf(delta: RowDelta): string {
  return canonicalValue({
    op: delta.op,
    table: delta.table,
    rowId: delta.rowId,
    clientId: delta.clientId,
    hlc: delta.hlc.toString(),
    columns: delta.columns.map((column) => [column.column, column.value]),
  });
}
