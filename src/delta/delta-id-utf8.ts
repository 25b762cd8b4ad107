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
 * way (see `Utf8Writer.value`). Returns `null` for anything else (a character to escape; columns
 * out of order; a value without a JSON form or with a `toJSON`; nesting too deep; text beyond the
 * buffer), and the caller takes the string path. When not `null`, it hashed exactly
 * the UTF-8 of `deltaIdInput(fields)` (a property test checks it against the string path).
 */
export function utf8DeltaId(fields: DeltaIdFields): string | null {
  const writer = scratch;
  // A value's `toJSON` that computed an id itself would reuse the buffer mid-write: not here.
  if (writer.busy) return null;
  writer.busy = true;
  writer.position = 0;
  try {
    return writeAndHash(writer, fields);
  } finally {
    writer.busy = false;
  }
}

function writeAndHash(writer: Utf8Writer, fields: DeltaIdFields): string | null {
  if (!writer.constant(CLIENT_ID) || !writer.plainString(fields.clientId)) return null;
  if (!writer.constant(COLUMNS)) return null;
  const columns = fields.columns;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    if (index > 0 && (columns[index - 1]!.column > column || !writer.constant(COMMA))) return null;
    if (!writer.constant(COLUMN) || !writer.plainString(column)) return null;
    if (!writer.constant(VALUE) || !writer.value(value) || !writer.constant(CLOSE)) return null;
  }
  if (!writer.constant(HLC_OPEN) || !writer.utf8(fields.hlc.toString())) return null;
  if (!writer.constant(ROW_ID) || !writer.plainString(fields.rowId)) return null;
  if (!writer.constant(TABLE) || !writer.plainString(fields.table) || !writer.constant(CLOSE)) {
    return null;
  }
  return sha256HexOfBytes(writer.written());
}

const encoder = new TextEncoder();
const CLIENT_ID = encoder.encode('{"clientId":');
const COLUMNS = encoder.encode(',"columns":[');
const COMMA = encoder.encode(',');
const COLUMN = encoder.encode('{"column":');
const VALUE = encoder.encode(',"value":');
const CLOSE = encoder.encode('}');
const OPEN_BRACE = encoder.encode('{');
const OPEN_BRACKET = encoder.encode('[');
const CLOSE_BRACKET = encoder.encode(']');
const COLON = encoder.encode(':');
const HLC_OPEN = encoder.encode('],"hlc":"');
const ROW_ID = encoder.encode('","rowId":');
const TABLE = encoder.encode(',"table":');

/** Longest id text written here; anything longer takes the string path. */
const ID_TEXT_BYTES_MAX = 16 * 1024;

/** Writes UTF-8 into a fixed buffer; every method returns false (the caller gives up) on overflow. */
class Utf8Writer {
  readonly bytes = new Uint8Array(ID_TEXT_BYTES_MAX);
  position = 0;
  /** True while an id is being written (see `utf8DeltaId`). */
  busy = false;
  /** `bytes.subarray(0, length)` by length, made once each: a view is an object per hash. */
  readonly #views: Uint8Array[] = [];

  /** The bytes written so far (a view into the buffer, valid until the next write). */
  written(): Uint8Array {
    const length = this.position;
    let view = this.#views[length];
    if (view === undefined) {
      view = this.bytes.subarray(0, length);
      this.#views[length] = view;
    }
    return view;
  }

  /** A short constant piece; a plain loop beats `set` at these lengths. */
  constant(piece: Uint8Array): boolean {
    const bytes = this.bytes;
    let position = this.position;
    if (position + piece.length > bytes.length) return false;
    for (let index = 0; index < piece.length; index++) bytes[position++] = piece[index]!;
    this.position = position;
    return true;
  }

  /**
   * `text` as UTF-8 (what `node:crypto` and `TextEncoder` make of it), if it holds no lone
   * surrogate (those become U+FFFD there; the string path is left to do that).
   */
  utf8(text: string): boolean {
    return this.#write(text, false);
  }

  /** `JSON.stringify(text)` when that needs no escape (no control character, quote or backslash). */
  plainString(text: string): boolean {
    return this.#write(text, true);
  }

  #write(text: string, quoted: boolean): boolean {
    const bytes = this.bytes;
    let position = this.position;
    // At most 3 bytes per UTF-16 unit (a pair of units is 4 bytes), plus the quotes.
    if (position + 3 * text.length + 2 > bytes.length) return false;
    if (quoted) bytes[position++] = 0x22;
    // The usual text is ASCII: a tight loop, leaving the rest of a text to `#writeWide` from its
    // first wider character on.
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) {
        position = writeWide(bytes, position, text, index, quoted);
        if (position < 0) return false;
        break;
      }
      if (quoted && (code < 0x20 || code === 0x22 || code === 0x5c)) return false;
      bytes[position++] = code;
    }
    if (quoted) bytes[position++] = 0x22;
    this.position = position;
    return true;
  }

  /**
   * `canonicalJson(value)` for a primitive, or an array or object of them nested at most
   * `STRUCTURE_DEPTH_MAX` deep; false for anything else (see `utf8DeltaId`).
   */
  value(value: unknown, depth = 0): boolean {
    switch (typeof value) {
      case 'string':
        return this.plainString(value);
      case 'boolean':
        return this.utf8(value ? 'true' : 'false');
      case 'number':
        return Number.isFinite(value) && this.utf8(`${value}`);
      case 'object':
        if (value === null) return this.utf8('null');
        return depth < STRUCTURE_DEPTH_MAX && this.#structure(value, depth + 1);
      default:
        return false;
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
  #structure(value: object, depth: number): boolean {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
    if (Array.isArray(value)) {
      if (!this.constant(OPEN_BRACKET)) return false;
      for (let index = 0; index < value.length; index++) {
        if (index > 0 && !this.constant(COMMA)) return false;
        if (!this.value(value[index], depth)) return false;
      }
      return this.constant(CLOSE_BRACKET);
    }
    const keys = sortedKeys(value);
    if (!this.constant(OPEN_BRACE)) return false;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      if (index > 0 && !this.constant(COMMA)) return false;
      if (!this.plainString(key) || !this.constant(COLON)) return false;
      if (!this.value((value as Record<string, unknown>)[key], depth)) return false;
    }
    return this.constant(CLOSE);
  }
}

/** Deepest nesting of a column value the buffer path writes; deeper ones take the string path. */
const STRUCTURE_DEPTH_MAX = 8;

const scratch = new Utf8Writer();

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
