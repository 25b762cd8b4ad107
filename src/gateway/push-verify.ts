import { sha256Hex } from '#sha256';
import { canonicalJson } from '../delta/canonical-json';
import { deltaIdInput } from '../delta/delta-id';
import { utf8DeltaId } from '../delta/delta-id-utf8';
import type { RowDelta } from '../delta/types';
import {
  DEFAULT_DELTA_LIMITS,
  deltaFieldsProblem,
  describeDelta,
  TABLE_NAME_PATTERN,
  validateDelta,
} from '../delta/validate';
import { hasLoneSurrogate } from '../delta/well-formed';
import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';

/**
 * The gateway's checks of pushed deltas, split in two so that the expensive half (recomputing
 * `deltaId`: canonical JSON + SHA-256) can run off the acknowledgement path (ADR-016):
 *
 * - `pushedDeltaShapeProblem`: every check of `validateDelta` except the id. A fast path covers
 *   the shape nearly every push has (primitive values, short strings, few columns); anything
 *   outside it is handed to `deltaFieldsProblem`, the reference, so what passes is exactly what the
 *   reference passes (a property test compares them on random deltas).
 * - `forgedDeltaIdProblem`: recomputes the id and compares. Hashes the UTF-8 bytes of the id text
 *   written straight into a buffer for deltas needing no escape (`utf8DeltaId`, the same fast path
 *   `deltaId` takes), else builds the same text as `deltaIdInput` without its general walk, else
 *   falls back to `deltaIdInput` itself.
 */

const LIMITS = DEFAULT_DELTA_LIMITS;
/** Column values whose JSON text provably fits `valueBytesMax`: a string's escapes are ≤ 6 units. */
const PLAIN_STRING_LENGTH_MAX = Math.floor((LIMITS.valueBytesMax - 2) / 6);
/** Table names already seen to match `TABLE_NAME_PATTERN` (few per deployment; bounded anyway). */
const knownTables = new Set<string>();
const KNOWN_TABLES_MAX = 4_096;
const HLC_LIMIT = 1n << 64n;

/**
 * Why `delta` does not fit the data model, ignoring its `deltaId` (checked separately by
 * `forgedDeltaIdProblem`); `null` when it fits. Same verdict as `deltaFieldsProblem` with the
 * default limits, message included, on any runtime value. Never throws.
 */
export function pushedDeltaShapeProblem(delta: RowDelta): string | null {
  if (commonShapeFits(delta)) return null;
  if (typeof delta !== 'object' || delta === null) {
    return validateDeltaMessage(delta);
  }
  const problem = deltaFieldsProblem(delta, LIMITS);
  return problem === null ? null : `${describeDelta(delta)}: ${problem}`;
}

/**
 * `null` when `delta.deltaId` is the id of its content (`deltaId(delta)`), else what is wrong.
 * `delta` must already have passed `pushedDeltaShapeProblem`.
 */
export function forgedDeltaIdProblem(delta: RowDelta): string | null {
  const claimed = delta.deltaId;
  if (typeof claimed !== 'string') return validateDeltaMessage(delta);
  const id = utf8DeltaId(delta) ?? sha256Hex(commonIdInput(delta) ?? deltaIdInput(delta));
  if (id === claimed) return null;
  return validateDeltaMessage(delta);
}

/**
 * `validateDelta(delta)` with the default limits, through the two fast checks above: the same
 * verdict and the same message on any runtime value, since each check gives exactly the
 * reference's answer for its half and `validateDelta` also checks the fields before the id. For
 * deltas read back from the lake (recovery), which must pass every check a push passes.
 */
export function checkedDelta(delta: RowDelta): Result<RowDelta, SchemaError> {
  const problem = pushedDeltaShapeProblem(delta) ?? forgedDeltaIdProblem(delta);
  return problem === null ? Ok(delta) : Err(new SchemaError(problem));
}

/** The reference's message for a delta the fast checks refuse (only ever on bad input). */
function validateDeltaMessage(delta: RowDelta): string {
  const checked = validateDelta(delta);
  return checked.ok ? 'invalid delta' : checked.error.message;
}

/** True only when every field check of `validateDelta` provably passes; false means "ask it". */
function commonShapeFits(delta: RowDelta): boolean {
  if (typeof delta !== 'object' || delta === null) return false;
  const { op, table, columns, hlc } = delta;
  if (op !== 'INSERT' && op !== 'UPDATE' && op !== 'DELETE') return false;
  if (!knownTable(table)) return false;
  if (!plainIdentifier(delta.rowId, LIMITS.rowIdLengthMax)) return false;
  if (!plainIdentifier(delta.clientId, LIMITS.clientIdLengthMax)) return false;
  if (typeof hlc !== 'bigint' || hlc < 0n || hlc >= HLC_LIMIT) return false;
  if (!Array.isArray(columns)) return false;
  const count = columns.length;
  if (op === 'DELETE') return count === 0;
  if (count === 0 || count > 8) return false;
  for (let index = 0; index < count; index++) {
    const change: unknown = columns[index];
    if (typeof change !== 'object' || change === null) return false;
    const { column, value } = change as { column?: unknown; value?: unknown };
    if (!plainIdentifier(column, LIMITS.columnNameLengthMax) || !plainValue(value)) return false;
    for (let earlier = 0; earlier < index; earlier++) {
      if ((columns[earlier] as { column: string }).column === column) return false;
    }
  }
  return true;
}

function knownTable(table: unknown): boolean {
  if (typeof table !== 'string') return false;
  if (knownTables.has(table)) return true;
  if (table.length > LIMITS.tableNameLengthMax || !TABLE_NAME_PATTERN.test(table)) return false;
  if (knownTables.size < KNOWN_TABLES_MAX) knownTables.add(table);
  return true;
}

/**
 * A non-empty string within `lengthMax` without control characters (U+0000–U+001F, U+007F) or
 * lone surrogates (which would reach the lake as U+FFFD under a `deltaId` that no longer matches).
 */
function plainIdentifier(value: unknown, lengthMax: number): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > lengthMax) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f) return false;
    if (code >= 0xd800 && code <= 0xdfff)
      return !hasLoneSurrogate(value, index) && !hasControlCharacterFrom(value, index);
  }
  return true;
}

function hasControlCharacterFrom(text: string, from: number): boolean {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

/** A primitive that is JSON-safe and whose JSON text certainly fits `valueBytesMax`. */
function plainValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return value.length <= PLAIN_STRING_LENGTH_MAX;
    case 'boolean':
      return true;
    case 'number':
      // Finite, and not an integer beyond ±(2^53 − 1) (`numberProblem`).
      return Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value));
    default:
      return value === null;
  }
}

/**
 * `deltaIdInput(delta)` for deltas whose columns are in name order with primitive values, built
 * without the general canonical walk; `null` otherwise (the caller uses `deltaIdInput`).
 */
function commonIdInput(delta: RowDelta): string | null {
  const columns = delta.columns;
  let out = `{"clientId":${jsonString(delta.clientId)},"columns":[`;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    if (index > 0) {
      if (columns[index - 1]!.column > column) return null;
      out += ',';
    }
    const text =
      typeof value === 'string'
        ? jsonString(value)
        : typeof value === 'object' && value !== null
          ? canonicalJson(value)
          : `${value}`; // boolean, null, finite number: the same text as JSON
    out += `{"column":${jsonString(column)},"value":${text}}`;
  }
  return `${out}],"hlc":"${delta.hlc.toString()}","rowId":${jsonString(delta.rowId)},"table":${jsonString(delta.table)}}`;
}

/** `JSON.stringify(text)`, skipping the call for text that needs no escape. */
function jsonString(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(text);
    }
  }
  return `"${text}"`;
}
