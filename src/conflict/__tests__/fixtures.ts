import { makeDelta } from '../../delta/delta-id';
import type { ColumnDelta, DeltaOp, RowDelta } from '../../delta/types';
import { HLC } from '../../hlc/hlc';

/** Wall time the conflict tests count from. */
export const T0 = 1_700_000_000_000;

/** A delta on `todos/row-1` written by `clientId` at wall `T0 + ms`. */
export function write(
  op: DeltaOp,
  ms: number,
  clientId: string,
  values: Record<string, unknown> = {},
  target: { table?: string; rowId?: string } = {},
): RowDelta {
  const columns: ColumnDelta[] = Object.entries(values).map(([column, value]) => ({
    column,
    value,
  }));
  return makeDelta({
    op,
    table: target.table ?? 'todos',
    rowId: target.rowId ?? 'row-1',
    clientId,
    hlc: HLC.encode(T0 + ms, 0),
    columns,
  });
}
