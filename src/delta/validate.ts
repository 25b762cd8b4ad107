import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { deltaId } from './delta-id';
import { jsonSafetyProblem } from './json-safe';
import { DELTA_OPS, type RowDelta } from './types';
import { hasLoneSurrogate } from './well-formed';

/** Upper bounds on the parts of a delta; every one is checked by `validateDelta`. */
export interface DeltaLimits {
  readonly tableNameLengthMax: number;
  readonly rowIdLengthMax: number;
  readonly clientIdLengthMax: number;
  readonly columnNameLengthMax: number;
  /** Most columns one delta may carry. */
  readonly columnsMax: number;
  /** Longest JSON text (UTF-16 code units of `JSON.stringify(value)`) of one column value. */
  readonly valueBytesMax: number;
}

/** The limits `validateDelta` and `extractDelta` apply unless told otherwise. */
export const DEFAULT_DELTA_LIMITS: DeltaLimits = Object.freeze({
  tableNameLengthMax: 128,
  rowIdLengthMax: 512,
  clientIdLengthMax: 128,
  columnNameLengthMax: 256,
  columnsMax: 256,
  valueBytesMax: 64 * 1024,
});

/** What a valid table name looks like; in particular it never contains ':' (see `rowKey`). */
export const TABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const HLC_LIMIT = 1n << 64n;
const DISPLAY_LENGTH_MAX = 64;

/**
 * Checks that `delta` fits the data model: a known op; a table name matching `TABLE_NAME_PATTERN`;
 * non-empty row and client ids without control characters; a 64-bit HLC; no columns on DELETE and
 * at least one on INSERT/UPDATE; unique, non-empty column names without control characters; JSON-safe
 * values; every limit respected; and a `deltaId` equal to `deltaId(fields)`. Safe on any runtime
 * value (a delta decoded from untrusted bytes, a cast from `unknown`): never throws. The `Err`
 * says what is wrong and names the delta by table, row id and `deltaId` prefix.
 */
export function validateDelta(
  delta: RowDelta,
  limits?: Partial<DeltaLimits>,
): Result<RowDelta, SchemaError> {
  if (typeof delta !== 'object' || delta === null) {
    return Err(new SchemaError(`invalid delta: expected an object, got ${describe(delta)}`));
  }
  const resolved =
    limits === undefined ? DEFAULT_DELTA_LIMITS : { ...DEFAULT_DELTA_LIMITS, ...limits };
  const problem = deltaFieldsProblem(delta, resolved) ?? deltaIdProblem(delta);
  if (problem !== null) return Err(new SchemaError(`${describeDelta(delta)}: ${problem}`));
  return Ok(delta);
}

/**
 * Every check of `validateDelta` except the `deltaId` one; `null` when all pass, else what is
 * wrong. For code that is about to compute the id itself (`extractDelta`). `valuesKnownSafe`:
 * the caller has already checked every column value with `jsonSafetyProblem` (as `extractDelta`
 * does, to name the column in its own message), so that walk is not repeated; the result is the
 * same, since on such values that check never finds a problem.
 */
export function deltaFieldsProblem(
  delta: Omit<RowDelta, 'deltaId'>,
  limits: DeltaLimits,
  valuesKnownSafe = false,
): string | null {
  return identityProblem(delta, limits) ?? columnsProblem(delta, limits, valuesKnownSafe);
}

/** Names a delta for error messages: `delta "todos"/"r1" (id 1a2b3c4d5e6f…)`. */
export function describeDelta(delta: Partial<RowDelta>): string {
  const id =
    typeof delta.deltaId === 'string' ? ` (id ${describe(delta.deltaId.slice(0, 12))}…)` : '';
  return `invalid delta ${describe(delta.table)}/${describe(delta.rowId)}${id}`;
}

function identityProblem(delta: Omit<RowDelta, 'deltaId'>, limits: DeltaLimits): string | null {
  if (typeof delta.op !== 'string' || !DELTA_OPS.includes(delta.op)) {
    return `unknown op ${describe(delta.op)} (expected one of ${DELTA_OPS.join(', ')})`;
  }
  const { table } = delta;
  if (typeof table !== 'string' || table.length > limits.tableNameLengthMax) {
    return `table must be a string of at most ${limits.tableNameLengthMax} characters`;
  }
  if (!TABLE_NAME_PATTERN.test(table)) {
    return `table name ${describe(table)} must match ${TABLE_NAME_PATTERN.source}`;
  }
  const rowIdProblem = identifierProblem('rowId', delta.rowId, limits.rowIdLengthMax);
  if (rowIdProblem !== null) return rowIdProblem;
  const clientIdProblem = identifierProblem('clientId', delta.clientId, limits.clientIdLengthMax);
  if (clientIdProblem !== null) return clientIdProblem;
  const { hlc } = delta;
  if (typeof hlc !== 'bigint' || hlc < 0n || hlc >= HLC_LIMIT) {
    return `hlc ${describe(hlc)} is not a 64-bit timestamp`;
  }
  return null;
}

function columnsProblem(
  delta: Omit<RowDelta, 'deltaId'>,
  limits: DeltaLimits,
  valuesKnownSafe: boolean,
): string | null {
  const { columns } = delta;
  if (!Array.isArray(columns)) return `columns must be an array, got ${describe(columns)}`;
  if (delta.op === 'DELETE' && columns.length > 0) {
    return `a DELETE carries no columns, got ${columns.length}`;
  }
  if (delta.op !== 'DELETE' && columns.length === 0) {
    return `an ${delta.op} needs at least one column`;
  }
  if (columns.length > limits.columnsMax) {
    return `${columns.length} columns exceed the limit of ${limits.columnsMax}`;
  }
  // Names of the columns checked so far: a scan of them for the few columns of a usual delta, a
  // `Set` beyond that (same answer either way).
  const seen = columns.length > PAIRWISE_COLUMNS_MAX ? new Set<string>() : null;
  for (let index = 0; index < columns.length; index++) {
    const problem = columnProblem(columns, index, seen, limits, valuesKnownSafe);
    if (problem !== null) return `column #${index}: ${problem}`;
  }
  return null;
}

/** Up to this many columns, duplicates are found by scanning the earlier names. */
const PAIRWISE_COLUMNS_MAX = 12;

function columnProblem(
  columns: readonly unknown[],
  index: number,
  seen: Set<string> | null,
  limits: DeltaLimits,
  valuesKnownSafe: boolean,
): string | null {
  const column = columns[index];
  if (typeof column !== 'object' || column === null) {
    return `expected {column, value}, got ${describe(column)}`;
  }
  const { column: name, value } = column as { column?: unknown; value?: unknown };
  const nameProblem = identifierProblem('column name', name, limits.columnNameLengthMax);
  if (nameProblem !== null) return nameProblem;
  const columnName = name as string;
  if (seen === null ? namedBefore(columns, index, columnName) : seen.has(columnName)) {
    return `duplicate column ${describe(columnName)}`;
  }
  seen?.add(columnName);
  const unsafe = valuesKnownSafe ? null : jsonSafetyProblem(value);
  if (unsafe !== null) return `value of ${describe(columnName)} is not JSON-safe ${unsafe}`;
  if (jsonLengthBound(value) <= limits.valueBytesMax) return null;
  const length = JSON.stringify(value).length;
  if (length > limits.valueBytesMax) {
    return `value of ${describe(columnName)} is ${length} bytes of JSON, over the limit of ${limits.valueBytesMax}`;
  }
  return null;
}

/**
 * An upper bound on `JSON.stringify(value).length` for a JSON-safe value, known without
 * serialising it: a string's JSON is at most its quotes plus 6 characters (`\uXXXX`) per code unit,
 * a finite number's at most 25 (`-0.0000012345678901234567`: sign, `0.`, five zeros, 17 digits),
 * `true`/`false`/`null` at most 5; an array's, its brackets, commas and items; an object's, its
 * braces, commas, and per own key the key's JSON, a colon and the value's. Why: a value far under
 * the limit (nearly all of them, small objects included) is then never serialised just to be
 * measured. Nesting beyond `LENGTH_BOUND_DEPTH_MAX` (and anything not JSON-safe) gives
 * `Infinity`: only serialising it tells.
 */
function jsonLengthBound(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return 2 + 6 * value.length;
    case 'number':
      return NUMBER_JSON_LENGTH_MAX;
    case 'boolean':
      return 5;
    case 'object':
      if (value === null) return 4;
      if (depth >= LENGTH_BOUND_DEPTH_MAX) return Number.POSITIVE_INFINITY;
      return Array.isArray(value)
        ? arrayLengthBound(value, depth + 1)
        : objectLengthBound(value as Record<string, unknown>, depth + 1);
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** Nesting `jsonLengthBound` follows before it gives up. */
const LENGTH_BOUND_DEPTH_MAX = 8;

function arrayLengthBound(array: readonly unknown[], depth: number): number {
  let bound = 2 + array.length; // the brackets, and a comma between items (one too many is fine)
  for (let index = 0; index < array.length; index++) {
    bound += jsonLengthBound(array[index], depth);
  }
  return bound;
}

function objectLengthBound(object: Record<string, unknown>, depth: number): number {
  const keys = Object.keys(object);
  let bound = 2 + keys.length; // the braces, and a comma between entries (one too many is fine)
  for (const key of keys) bound += 3 + 6 * key.length + jsonLengthBound(object[key], depth);
  return bound;
}

/**
 * The longest `JSON.stringify` of a finite number: 17 significant digits at most, so 24 in
 * exponent form (`-1.2345678901234567e-308`) and 25 in the decimal form used down to 1e-6.
 */
const NUMBER_JSON_LENGTH_MAX = 25;

function deltaIdProblem(delta: RowDelta): string | null {
  if (typeof delta.deltaId !== 'string')
    return `deltaId must be a string, got ${describe(delta.deltaId)}`;
  const expected = deltaId(delta);
  if (delta.deltaId !== expected) {
    return `deltaId ${describe(delta.deltaId)} does not match its content (expected ${expected})`;
  }
  return null;
}

/** True iff a column before `index` is named `name` (all of them passed `columnProblem`). */
function namedBefore(columns: readonly unknown[], index: number, name: string): boolean {
  for (let earlier = 0; earlier < index; earlier++) {
    if ((columns[earlier] as { column: string }).column === name) return true;
  }
  return false;
}

/** A non-empty string within `lengthMax` and free of control characters (U+0000–U+001F, U+007F). */
function identifierProblem(what: string, value: unknown, lengthMax: number): string | null {
  if (typeof value !== 'string') return `${what} must be a string, got ${describe(value)}`;
  if (value.length === 0) return `${what} must not be empty`;
  if (value.length > lengthMax) {
    return `${what} is ${value.length} characters, over the limit of ${lengthMax}`;
  }
  if (isPlainText(value)) return null;
  if (hasControlCharacter(value)) {
    return `${what} ${describe(value)} contains a control character`;
  }
  if (hasLoneSurrogate(value)) {
    return `${what} ${describe(value)} contains a lone UTF-16 surrogate, which has no UTF-8 form`;
  }
  return null;
}

/**
 * One pass that clears the usual identifier: no control character and no surrogate at all (so
 * none alone). Anything else goes through the two exact checks, which name the problem.
 */
function isPlainText(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

/** A short, escaped rendering of any runtime value for an error message. */
function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown =
      value.length > DISPLAY_LENGTH_MAX ? `${value.slice(0, DISPLAY_LENGTH_MAX)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
