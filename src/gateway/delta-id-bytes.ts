import * as nodeCrypto from 'node:crypto';
import type { RowDelta } from '../delta/types';

/**
 * The gateway's fast way to recompute a `deltaId`: the UTF-8 bytes of `deltaIdInput(delta)` written
 * straight into one reusable buffer and hashed there, for deltas whose text is plain ASCII (the
 * usual case: ids, names and short values without escapes). No JavaScript string is built, so
 * there is nothing to concatenate, flatten or re-encode before hashing. Returns `null` for any
 * delta outside that shape (a value that is an object, a string needing an escape or outside
 * ASCII, columns out of name order), and the caller falls back to `deltaIdInput`. Server-side
 * only (`node:crypto`, Node and Bun); the gateway is not part of the browser bundle.
 */
export function asciiDeltaId(delta: RowDelta): string | null {
  if (typeof nodeCrypto.hash !== 'function') return null;
  const writer = scratch;
  writer.position = 0;
  if (!writer.constant(CLIENT_ID) || !writer.plainString(delta.clientId)) return null;
  if (!writer.constant(COLUMNS)) return null;
  const columns = delta.columns;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    if (index > 0 && (columns[index - 1]!.column > column || !writer.constant(COMMA))) return null;
    if (!writer.constant(COLUMN) || !writer.plainString(column)) return null;
    if (!writer.constant(VALUE) || !writer.plainValue(value) || !writer.constant(CLOSE))
      return null;
  }
  if (!writer.constant(HLC_OPEN) || !writer.ascii(delta.hlc.toString())) return null;
  if (!writer.constant(ROW_ID) || !writer.plainString(delta.rowId)) return null;
  if (!writer.constant(TABLE) || !writer.plainString(delta.table) || !writer.constant(CLOSE)) {
    return null;
  }
  return nodeCrypto.hash('sha256', writer.bytes.subarray(0, writer.position), 'hex');
}

const encoder = new TextEncoder();
const CLIENT_ID = encoder.encode('{"clientId":');
const COLUMNS = encoder.encode(',"columns":[');
const COMMA = encoder.encode(',');
const COLUMN = encoder.encode('{"column":');
const VALUE = encoder.encode(',"value":');
const CLOSE = encoder.encode('}');
const HLC_OPEN = encoder.encode('],"hlc":"');
const ROW_ID = encoder.encode('","rowId":');
const TABLE = encoder.encode(',"table":');

/** Longest id text written here; anything longer takes the string path. */
const ID_TEXT_BYTES_MAX = 16 * 1024;

/** Writes ASCII into a fixed buffer; every method returns false (and the caller gives up) on overflow. */
class AsciiWriter {
  readonly bytes = new Uint8Array(ID_TEXT_BYTES_MAX);
  position = 0;

  /** A short constant piece; a plain loop beats `set` at these lengths. */
  constant(piece: Uint8Array): boolean {
    const bytes = this.bytes;
    let position = this.position;
    if (position + piece.length > bytes.length) return false;
    for (let index = 0; index < piece.length; index++) bytes[position++] = piece[index]!;
    this.position = position;
    return true;
  }

  /** `text` as it is, if every character is ASCII. */
  ascii(text: string): boolean {
    const bytes = this.bytes;
    let position = this.position;
    if (position + text.length > bytes.length) return false;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) return false;
      bytes[position++] = code;
    }
    this.position = position;
    return true;
  }

  /** `JSON.stringify(text)` when that needs no escape and is ASCII: the text in quotes. */
  plainString(text: string): boolean {
    const bytes = this.bytes;
    let position = this.position;
    if (position + text.length + 2 > bytes.length) return false;
    bytes[position++] = 0x22;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
      bytes[position++] = code;
    }
    bytes[position++] = 0x22;
    this.position = position;
    return true;
  }

  /** The canonical JSON of a primitive column value (what `canonicalJson` writes for it). */
  plainValue(value: unknown): boolean {
    switch (typeof value) {
      case 'string':
        return this.plainString(value);
      case 'boolean':
        return this.ascii(value ? 'true' : 'false');
      case 'number':
        return Number.isFinite(value) && this.ascii(`${value}`);
      default:
        return value === null && this.ascii('null');
    }
  }
}

const scratch = new AsciiWriter();
