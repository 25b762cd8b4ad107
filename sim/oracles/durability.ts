import type { RowDelta } from '../../src/delta/types';
import { describeDelta } from './describe';
import { canonicalValue, surelySameValue } from './rows-view';

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

/**
 * Equal writes. Column by column first — the same names, each pair of values identical or of the
 * same canonical text (`surelySameValue` first) — which is exactly `contentOf` agreeing, so `true`; otherwise the checks
 * as first written: the same JSON text, then `contentOf`.
 */
function sameContent(a: RowDelta, b: RowDelta): boolean {
  if (a.op !== b.op || a.hlc !== b.hlc || a.clientId !== b.clientId) return false;
  if (a.table !== b.table || a.rowId !== b.rowId) return false;
  if (sameColumns(a.columns, b.columns)) return true;
  if (JSON.stringify(a.columns) === JSON.stringify(b.columns)) return true;
  return contentOf(a) === contentOf(b);
}

/**
 * True iff both lists name the same columns in the same order with values that are identical
 * (`===`) or have the same canonical text: then `contentOf` of the two writes is the same.
 */
function sameColumns(a: RowDelta['columns'], b: RowDelta['columns']): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) {
    const left = a[index] as RowDelta['columns'][number];
    const right = b[index] as RowDelta['columns'][number];
    if (left.column !== right.column) return false;
    if (left.value === right.value || surelySameValue(left.value, right.value)) continue;
    if (canonicalValue(left.value) !== canonicalValue(right.value)) return false;
  }
  return true;
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
