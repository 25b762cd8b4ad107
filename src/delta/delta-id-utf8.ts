import { sha256HexOfBytes } from '#sha256';
import type { DeltaIdFields } from './delta-id';
import { sortedKeys } from './sorted-keys';

/**
 * `deltaId(fields)` without building `deltaIdInput(fields)` as a string, for the usual delta: its
 * columns in name order, its values primitives, and no string needing a JSON escape (a quote, a
 * backslash, a control character or a lone surrogate; any other Unicode is fine). The text's
 * UTF-8 is written straight into one reusable buffer and hashed there, so there is no string to
 * concatenate piece by piece, flatten and re-encode — a dozen short-lived strings per delta, most
 * of what hashing a delta allocated. Small arrays and objects of such values are written the same
 * way (see `structure`). Returns `null` for anything else (a character to escape; columns
 * out of order; a value without a JSON form or with a `toJSON`; nesting too deep; text beyond the
 * buffer), and the caller takes the string path. When not `null`, it hashed exactly
 * the UTF-8 of `deltaIdInput(fields)` (a property test checks it against the string path).
 */
export function utf8DeltaId(fields: DeltaIdFields): string | null {
  // A getter in a value that computed an id itself would reuse the buffer mid-write: not here.
  if (busy) return null;
  busy = true;
  try {
    const length = writeIdText(BUFFER, fields);
    return length < 0 ? null : sha256HexOfBytes(writtenView(length));
  } finally {
    busy = false;
  }
}

/*
 * The writers below are plain functions over the buffer and a position, each returning the new
 * position or -1 (give up), and passing a -1 they are given straight through. Measured against
 * the methods of a writer object that kept the position in a field and answered booleans: a
 * third less time per id on Node, a little less on Bun, because the position stays in a register
 * and every check is one comparison. Room: a piece is written only at a position at most
 * `TEXT_LIMIT`, and the buffer has `PIECE_BYTES_MAX` spare bytes past it, so the short constant
 * pieces and single bytes need no check of their own; anything longer checks its room first.
 */

/** The UTF-8 of `deltaIdInput(fields)` into `out` from 0; its length, or -1 (see `utf8DeltaId`). */
function writeIdText(out: Uint8Array, fields: DeltaIdFields): number {
  let at = writtenPrefix(out, fields.clientId);
  const columns = fields.columns;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    if (index > 0) {
      if (at < 0 || columns[index - 1]!.column > column) return -1;
      out[at++] = COMMA;
    }
    at = valueText(out, put(out, quoted(out, put(out, at, COLUMN), column), VALUE), value, 0);
    if (at < 0 || at > TEXT_LIMIT) return -1;
    out[at++] = CLOSE_BRACE;
  }
  at = ascii(out, put(out, at, HLC_OPEN), fields.hlc.toString());
  at = quoted(out, put(out, at, ROW_ID), fields.rowId);
  at = quoted(out, put(out, at, TABLE), fields.table);
  if (at < 0) return -1;
  out[at++] = CLOSE_BRACE;
  return at;
}

/**
 * Writes `{"clientId":…,"columns":[` for `clientId` at 0 (its end, or -1), unless the buffer
 * already starts with it: the text the last id began with stays there, since nothing else writes
 * the buffer and every id text starts with the same piece. Consecutive ids are usually of one
 * client (a push holds one client's deltas; a client stamps its own writes), so most skip a fifth
 * of their text. `prefixClientId` is cleared before the piece is rewritten, so a write that gives
 * up half-way never leaves it naming a prefix the buffer does not hold.
 */
function writtenPrefix(out: Uint8Array, clientId: string): number {
  if (clientId === prefixClientId) return prefixLength;
  prefixClientId = null;
  const at = put(out, quoted(out, put(out, 0, CLIENT_ID), clientId), COLUMNS);
  if (at < 0) return -1;
  prefixClientId = clientId;
  prefixLength = at;
  return at;
}

/**
 * `canonicalJson(value)` for a primitive, or an array or object of them nested at most
 * `STRUCTURE_DEPTH_MAX` deep; -1 for anything else (see `utf8DeltaId`).
 */
function valueText(out: Uint8Array, at: number, value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return quoted(out, at, value);
    case 'boolean':
      return put(out, at, value ? TRUE : FALSE);
    case 'number':
      return Number.isFinite(value) ? ascii(out, at, `${value}`) : -1;
    case 'object':
      if (value === null) return put(out, at, NULL);
      return depth < STRUCTURE_DEPTH_MAX ? structure(out, at, value, depth + 1) : -1;
    default:
      return -1;
  }
}

/**
 * An array or object written as `canonicalJson` writes it — items in order; keys by
 * `sortedKeys`, each `"key":value` — straight into the buffer instead of concatenated as a
 * string and encoded after. Why: about a third of the values a run writes are such (small
 * objects and arrays), and the string path cost them twice what a primitive costs. A `toJSON`
 * method, and an item or member with no JSON form (which `canonicalJson` turns into `null` or
 * drops), leave the value to the string path.
 */
function structure(out: Uint8Array, start: number, value: object, depth: number): number {
  if (start < 0 || start > TEXT_LIMIT) return -1;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return -1;
  let at = start;
  if (Array.isArray(value)) {
    out[at++] = OPEN_BRACKET;
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out[at++] = COMMA;
      at = valueText(out, at, value[index], depth);
      if (at < 0 || at > TEXT_LIMIT) return -1;
    }
    out[at++] = CLOSE_BRACKET;
    return at;
  }
  const keys = sortedKeys(value);
  out[at++] = OPEN_BRACE;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (index > 0) out[at++] = COMMA;
    at = quoted(out, at, key);
    if (at < 0) return -1;
    out[at++] = COLON;
    at = valueText(out, at, (value as Record<string, unknown>)[key], depth);
    if (at < 0 || at > TEXT_LIMIT) return -1;
  }
  out[at++] = CLOSE_BRACE;
  return at;
}

/** A short constant piece at `at`; a plain loop beats `set` at these lengths. */
function put(out: Uint8Array, at: number, piece: Uint8Array): number {
  if (at < 0 || at > TEXT_LIMIT) return -1;
  for (let index = 0; index < piece.length; index++) out[at + index] = piece[index]!;
  return at + piece.length;
}

/** `JSON.stringify(text)` when that needs no escape (no control character, quote or backslash). */
function quoted(out: Uint8Array, start: number, text: string): number {
  const length = text.length;
  // At most 3 bytes per UTF-16 unit (a pair of units is 4 bytes), plus the quotes.
  if (start < 0 || start + 3 * length + 2 > TEXT_LIMIT) return -1;
  let at = start;
  out[at++] = QUOTE;
  // The usual text is ASCII: a tight loop, leaving the rest of a text to `writeWide` from its
  // first wider character on.
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) {
      at = writeWide(out, at, text, index, true);
      if (at < 0) return -1;
      break;
    }
    if (code < 0x20 || code === 0x22 || code === 0x5c) return -1;
    out[at++] = code;
  }
  out[at++] = QUOTE;
  return at;
}

/**
 * `text` as UTF-8 (what `node:crypto` and `TextEncoder` make of it), if it holds no lone
 * surrogate (those become U+FFFD there; the string path is left to do that).
 */
function ascii(out: Uint8Array, start: number, text: string): number {
  const length = text.length;
  if (start < 0 || start + 3 * length > TEXT_LIMIT) return -1;
  let at = start;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return writeWide(out, at, text, index, false);
    out[at++] = code;
  }
  return at;
}

const encoder = new TextEncoder();
const CLIENT_ID = encoder.encode('{"clientId":');
const COLUMNS = encoder.encode(',"columns":[');
const COLUMN = encoder.encode('{"column":');
const VALUE = encoder.encode(',"value":');
const HLC_OPEN = encoder.encode('],"hlc":"');
const ROW_ID = encoder.encode('","rowId":');
const TABLE = encoder.encode(',"table":');
const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');
const NULL = encoder.encode('null');
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Longest id text written here; anything longer takes the string path. */
const ID_TEXT_BYTES_MAX = 16 * 1024;
/** Room past `TEXT_LIMIT` for the longest constant piece (`ROW_ID`, 10 bytes) and a byte or two. */
const PIECE_BYTES_MAX = 16;
/** No piece starts past this position. */
const TEXT_LIMIT = ID_TEXT_BYTES_MAX - PIECE_BYTES_MAX;
const BUFFER = new Uint8Array(ID_TEXT_BYTES_MAX);
/** True while an id is being written (see `utf8DeltaId`). */
let busy = false;
/** The client id whose `{"clientId":…,"columns":[` the buffer starts with (see `writtenPrefix`). */
let prefixClientId: string | null = null;
/** Length of that piece. */
let prefixLength = 0;
/** `BUFFER.subarray(0, length)` by length, made once each: a view is an object per hash. */
const views: Uint8Array[] = [];

/** The first `length` bytes of the buffer (a view, valid until the next write). */
function writtenView(length: number): Uint8Array {
  let view = views[length];
  if (view === undefined) {
    view = BUFFER.subarray(0, length);
    views[length] = view;
  }
  return view;
}

/** Deepest nesting of a column value the buffer path writes; deeper ones take the string path. */
const STRUCTURE_DEPTH_MAX = 8;

/**
 * Writes `text` from `start` on as UTF-8 at `position`; the new position, or -1 at a character
 * `quoted` text would escape or a lone surrogate. The caller checked the room (3 bytes a unit).
 */
function writeWide(
  bytes: Uint8Array,
  position: number,
  text: string,
  start: number,
  quoted: boolean,
): number {
  let at = position;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      if (quoted && (code < 0x20 || code === 0x22 || code === 0x5c)) return -1;
      bytes[at++] = code;
    } else if (code < 0x800) {
      bytes[at++] = 0xc0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      bytes[at++] = 0xe0 | (code >> 12);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else {
      const low = index + 1 < text.length ? text.charCodeAt(index + 1) : 0;
      if (code > 0xdbff || low < 0xdc00 || low > 0xdfff) return -1; // a lone surrogate
      const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      bytes[at++] = 0xf0 | (point >> 18);
      bytes[at++] = 0x80 | ((point >> 12) & 0x3f);
      bytes[at++] = 0x80 | ((point >> 6) & 0x3f);
      bytes[at++] = 0x80 | (point & 0x3f);
      index++;
    }
  }
  return at;
}
