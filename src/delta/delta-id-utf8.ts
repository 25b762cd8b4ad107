import { sha256HexOfBytes } from '#sha256';
import { assert } from '../result/assert';
import type { DeltaIdFields } from './delta-id';
import { writeHlcDigits } from './hlc-digits';
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
 *
 * The constant pieces (`{"column":"` and the like, with the quotes around the names they open
 * and close) are three word stores each rather than a loop over their bytes, and the HLC's digits
 * are written from its two 32-bit halves rather than from `hlc.toString()`: together about a
 * third of the time the text took on Node (see `piece` and `hlcDigits`).
 */

/** The UTF-8 of `deltaIdInput(fields)` into `out` from 0; its length, or -1 (see `utf8DeltaId`). */
function writeIdText(out: Uint8Array, fields: DeltaIdFields): number {
  let at = writtenPrefix(out, fields.clientId);
  const columns = fields.columns;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    if (index === 0) {
      at = piece(at, COLUMN_OPEN);
    } else {
      if (at < 0 || columns[index - 1]!.column > column) return -1;
      at = piece(at, COLUMN_NEXT);
    }
    at = valueText(out, piece(bare(out, at, column), VALUE_OPEN), value, 0);
    if (at < 0 || at > TEXT_LIMIT) return -1;
    out[at++] = CLOSE_BRACE;
  }
  at = hlcDigits(out, piece(at, HLC_OPEN), fields.hlc);
  at = bare(out, piece(at, ROW_ID_OPEN), fields.rowId);
  at = bare(out, piece(at, TABLE_OPEN), fields.table);
  return piece(at, END);
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
  const at = piece(quoted(out, piece(0, CLIENT_ID), clientId), COLUMNS);
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
      return piece(at, value ? TRUE : FALSE);
    case 'number':
      return Number.isFinite(value) ? ascii(out, at, `${value}`) : -1;
    case 'object':
      if (value === null) return piece(at, NULL);
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

/**
 * A constant piece of at most 12 bytes, as the three little-endian 32-bit words its bytes fill
 * (zero past its end): what `piece` stores.
 */
interface Piece {
  readonly first: number;
  readonly second: number;
  readonly third: number;
  readonly length: number;
}

function makePiece(text: string): Piece {
  const bytes = new Uint8Array(12);
  const written = encoder.encodeInto(text, bytes);
  assert(written.read === text.length, `a piece is at most 12 bytes: ${text}`);
  const words = new DataView(bytes.buffer);
  return {
    first: words.getInt32(0, true),
    second: words.getInt32(4, true),
    third: words.getInt32(8, true),
    length: written.written,
  };
}

/**
 * `piece` at `at`, as three word stores: 12 bytes whatever its length. The bytes past its end are
 * overwritten by whatever is written next, or lie past the end of the text and are never hashed.
 * Measured against a loop over the piece's bytes: a quarter less time per id text on Node.
 */
function piece(at: number, piece: Piece): number {
  if (at < 0 || at > TEXT_LIMIT) return -1;
  WORDS.setInt32(at, piece.first, true);
  WORDS.setInt32(at + 4, piece.second, true);
  WORDS.setInt32(at + 8, piece.third, true);
  return at + piece.length;
}

/**
 * `hlc.toString()` at `at`: its digits written from the value (`writeHlcDigits`) for a stamp in
 * [0, 2^64), as every valid HLC is; anything else through its text.
 */
function hlcDigits(out: Uint8Array, at: number, hlc: unknown): number {
  if (at < 0 || at > TEXT_LIMIT - HLC_DIGITS_MAX) return -1;
  if (typeof hlc === 'bigint') {
    const end = writeHlcDigits(out, at, hlc);
    if (end >= 0) return end;
  }
  return ascii(out, at, (hlc as { toString(): string }).toString());
}

/** `text` as `quoted` writes it between its quotes (the pieces around it hold them). */
function bare(out: Uint8Array, start: number, text: string): number {
  const length = text.length;
  if (start < 0 || start + 3 * length > TEXT_LIMIT) return -1;
  let at = start;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) return writeWide(out, at, text, index, true);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return -1;
    out[at++] = code;
  }
  return at;
}

/** `JSON.stringify(text)` when that needs no escape (no control character, quote or backslash). */
function quoted(out: Uint8Array, start: number, text: string): number {
  // At most 3 bytes per UTF-16 unit (a pair of units is 4 bytes), plus the quotes.
  if (start < 0 || start + 3 * text.length + 2 > TEXT_LIMIT) return -1;
  out[start] = QUOTE;
  const at = bare(out, start + 1, text);
  if (at < 0) return -1;
  out[at] = QUOTE;
  return at + 1;
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
const CLIENT_ID = makePiece('{"clientId":');
const COLUMNS = makePiece(',"columns":[');
const COLUMN_OPEN = makePiece('{"column":"');
const COLUMN_NEXT = makePiece(',{"column":"');
const VALUE_OPEN = makePiece('","value":');
const HLC_OPEN = makePiece('],"hlc":"');
const ROW_ID_OPEN = makePiece('","rowId":"');
const TABLE_OPEN = makePiece('","table":"');
const END = makePiece('"}');
const TRUE = makePiece('true');
const FALSE = makePiece('false');
const NULL = makePiece('null');
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Longest id text written here; anything longer takes the string path. */
const ID_TEXT_BYTES_MAX = 16 * 1024;
/** Room past `TEXT_LIMIT` for a piece's three words (12 bytes) and a byte or two. */
const PIECE_BYTES_MAX = 16;
/** Digits of the largest 64-bit HLC. */
const HLC_DIGITS_MAX = 20;
/** No piece starts past this position. */
const TEXT_LIMIT = ID_TEXT_BYTES_MAX - PIECE_BYTES_MAX;
const BUFFER = new Uint8Array(ID_TEXT_BYTES_MAX);
/** The buffer's words, for `piece`. */
const WORDS = new DataView(BUFFER.buffer);
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
