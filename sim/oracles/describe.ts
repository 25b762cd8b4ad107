import type { RowDelta } from '../../src/delta/types';

/** Characters of a `deltaId` shown in messages: enough to grep for, short enough to read. */
export const DELTA_ID_PREFIX_LENGTH = 12;

/** An HLC as `wall.counter` (wall in ms), readable and still exact. */
export function describeHlc(hlc: bigint): string {
  return `${hlc >> 16n}.${hlc & 0xffffn}`;
}

/** A delta in one line: id prefix, writer, op, row and HLC. */
export function describeDelta(delta: RowDelta): string {
  return (
    `${delta.deltaId.slice(0, DELTA_ID_PREFIX_LENGTH)} (${delta.clientId} ${delta.op} ` +
    `${delta.table}:${delta.rowId} hlc ${describeHlc(delta.hlc)})`
  );
}
