import type { HLCTimestamp } from '../hlc/types';
import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { makeDelta } from './delta-id';
import { jsonEqual } from './json-equal';
import { jsonSafetyProblem } from './json-safe';
import { sortedKeys } from './sorted-keys';
import type { ColumnDelta, DeltaOp, Row, RowDelta, TableSchema } from './types';
import { DEFAULT_DELTA_LIMITS, deltaFieldsProblem } from './validate';

/** Who wrote a change, to which row, and when: everything a delta needs besides its columns. */
export interface DeltaContext {
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly hlc: HLCTimestamp;
}

/**
 * Extracts the column-level change from `before` to `after`:
 * - `null` → row: an INSERT of every column whose value is not `undefined`;
 * - row → `null`: a DELETE with no columns;
 * - row → row: an UPDATE of only the columns whose value changed (`===` for primitives, so `-0`
 *   is `0`, key-order-agnostic deep equality for objects and arrays); a column that is `undefined` or
 *   absent in `after` is left alone, not set to `null`;
 * - no change, or `null` → `null`: `Ok(null)`.
 *
 * With a `schema`, only its columns are considered, in schema order; without one, every own column
 * of `after`, sorted by name. The delta is validated against `DEFAULT_DELTA_LIMITS` and carries its
 * `deltaId`. `Err(SchemaError)` when a value is not JSON-safe (including NaN, ±Infinity and
 * integral numbers beyond ±(2^53 − 1), which JSON readers disagree on), the schema is for another table, an
 * INSERT would have no columns, or the context breaks a limit (bad table name, empty ids…).
 */
export function extractDelta(
  before: Row | null,
  after: Row | null,
  context: DeltaContext,
  schema?: TableSchema,
): Result<RowDelta | null, SchemaError> {
  if (schema !== undefined && schema.table !== context.table) {
    return Err(
      new SchemaError(`${where(context)}: the schema is for table ${JSON.stringify(schema.table)}`),
    );
  }
  if (after === null) return before === null ? Ok(null) : finish('DELETE', [], context);
  const columns: ColumnDelta[] = [];
  for (const column of columnNames(after, schema)) {
    const value = ownValue(after, column);
    if (value === undefined) continue;
    const unsafe = jsonSafetyProblem(value);
    if (unsafe !== null) {
      return Err(
        new SchemaError(
          `${where(context)}: column ${JSON.stringify(column)} is not JSON-safe ${unsafe}`,
        ),
      );
    }
    if (before === null || !sameValue(ownValue(before, column), value)) {
      columns.push({ column, value });
    }
  }
  if (before !== null && columns.length === 0) return Ok(null);
  return finish(before === null ? 'INSERT' : 'UPDATE', columns, context);
}

/** How a refusal starts; built only when there is one to report. */
function where(context: DeltaContext): string {
  return `cannot extract a delta for ${JSON.stringify(context.table)}/${JSON.stringify(context.rowId)}`;
}

function finish(
  op: DeltaOp,
  columns: ColumnDelta[],
  context: DeltaContext,
): Result<RowDelta, SchemaError> {
  const fields = {
    op,
    table: context.table,
    rowId: context.rowId,
    clientId: context.clientId,
    columns,
    hlc: context.hlc,
  };
  // Every value was checked with jsonSafetyProblem above (to name the column in the message).
  const problem = deltaFieldsProblem(fields, DEFAULT_DELTA_LIMITS, true);
  if (problem !== null) return Err(new SchemaError(`${where(context)}: ${problem}`));
  return Ok(makeDelta(fields));
}

/** The schema's column names in schema order, or the row's own column names sorted. */
function columnNames(row: Row, schema: TableSchema | undefined): readonly string[] {
  if (schema === undefined) return sortedKeys(row);
  return schema.columns.map((column) => column.name);
}

/** Reads an own property only, so `__proto__` and friends never reach `Object.prototype`. */
function ownValue(row: Row, column: string): unknown {
  return Object.hasOwn(row, column) ? row[column] : undefined;
}

/** Equality of JSON values: `-0` equals `0` (JSON has one zero); `after` is already JSON-safe. */
function sameValue(a: unknown, b: unknown): boolean {
  return jsonEqual(a, b);
}
