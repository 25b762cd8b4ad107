import { assert } from '../result/assert';
import { utf8Encoder } from './utf8';

/**
 * A protobuf byte writer for the hot encoders: one growable scratch buffer shared by every call
 * (encoding is synchronous, so calls never interleave), copied out once at the end, so a message
 * costs one allocation of its exact size. Length-delimited fields reserve one length byte and
 * move the body along in the rare case the length needs more (a body of 128 bytes or longer).
 * ASCII strings are written by a plain loop: for the short strings rows are made of, that beats
 * a `TextEncoder` call. Output is byte-identical to `@bufbuild/protobuf`'s `BinaryWriter` for
 * the same calls (strings encoded as `TextEncoder` does, lone surrogates as U+FFFD).
 */
export class ByteWriter {
  static #sharedBuffer: Uint8Array = new Uint8Array(64 * 1024);
  static #sharedView: DataView<ArrayBufferLike> = new DataView(ByteWriter.#sharedBuffer.buffer);
  #buffer: Uint8Array;
  #view: DataView<ArrayBufferLike>;
  #position = 0;

  /** A writer over the shared scratch buffer; call `finish` before starting another. */
  constructor() {
    this.#buffer = ByteWriter.#sharedBuffer;
    this.#view = ByteWriter.#sharedView;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#position);
  }

  /** An unsigned varint of at most 32 bits (tags, lengths, enum numbers ≥ 0). */
  varint32(value: number): void {
    this.#reserve(5);
    const buffer = this.#buffer;
    let position = this.#position;
    let rest = value >>> 0;
    while (rest > 0x7f) {
      buffer[position++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buffer[position++] = rest;
    this.#position = position;
  }

  /** A field tag: one byte for every tag of this schema (field numbers up to 15). */
  tag(value: number): void {
    if (value > 0x7f) {
      this.varint32(value);
      return;
    }
    this.#reserve(1);
    this.#buffer[this.#position++] = value;
  }

  /** A little-endian fixed64 (the caller has checked the range). */
  fixed64(value: bigint): void {
    this.#reserve(8);
    this.#view.setBigUint64(this.#position, value, true);
    this.#position += 8;
  }

  /** The `true` varint. */
  true(): void {
    this.#reserve(1);
    this.#buffer[this.#position++] = 1;
  }

  /** A length-prefixed UTF-8 string (the field's tag already written). */
  string(text: string): void {
    const length = text.length;
    if (length > ASCII_LOOP_LENGTH_MAX) {
      this.#encodeInto(text);
      return;
    }
    {
      // ASCII text this short has a one-byte length prefix.
      this.#reserve(1 + length);
      const buffer = this.#buffer;
      const start = this.#position;
      let position = start + 1;
      let index = 0;
      for (; index < length; index++) {
        const code = text.charCodeAt(index);
        if (code > 0x7f) break;
        buffer[position++] = code;
      }
      if (index === length) {
        buffer[start] = length;
        this.#position = position;
        return;
      }
    }
    this.#encodeInto(text);
  }

  /** Where the next byte goes. */
  get position(): number {
    return this.#position;
  }

  /** A copy of the bytes written from `start` up to now. */
  copyFrom(start: number): Uint8Array {
    return this.#buffer.slice(start, this.#position);
  }

  /** A length-prefixed run of bytes (the field's tag already written). */
  lengthPrefixed(bytes: Uint8Array): void {
    this.#bytes(bytes);
  }

  /**
   * A length-prefixed JSON string literal of `text`, when `text` needs no escape and is short;
   * returns false (writing nothing) otherwise, and the caller writes `JSON.stringify(text)`.
   */
  plainJsonString(text: string): boolean {
    const length = text.length;
    if (length + 2 >= 0x80) return false;
    this.#reserve(length + 3);
    const buffer = this.#buffer;
    const start = this.#position;
    let position = start + 2;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code > 0x7f || code === 0x22 || code === 0x5c) return false;
      buffer[position++] = code;
    }
    buffer[start] = length + 2;
    buffer[start + 1] = 0x22;
    buffer[position++] = 0x22;
    this.#position = position;
    return true;
  }

  /** Starts a length-delimited body (the field's tag already written); pass the result to `end`. */
  begin(): number {
    this.#reserve(1);
    return this.#position++;
  }

  /**
   * Ends the body started at `start`: writes its length there, moving the body if needed.
   * Returns where the body now begins.
   */
  end(start: number): number {
    const length = this.#position - start - 1;
    if (length < 0x80) {
      this.#buffer[start] = length;
      return start + 1;
    }
    const extra = varintSize(length) - 1;
    this.#reserve(extra);
    const buffer = this.#buffer;
    buffer.copyWithin(start + 1 + extra, start + 1, this.#position);
    let position = start;
    let rest = length;
    while (rest > 0x7f) {
      buffer[position++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buffer[position] = rest;
    this.#position += extra;
    return start + 1 + extra;
  }

  /** A length-prefixed string through `TextEncoder.encodeInto`, straight into the buffer. */
  #encodeInto(text: string): void {
    const bytesMax = text.length * 3;
    // Guess a one-byte prefix for text under 128 characters (ASCII, the usual case), and move the
    // bytes along afterwards if the guess was short; the reserve leaves room for that move.
    const prefix = text.length < 0x80 ? 1 : varintSize(bytesMax);
    this.#reserve(prefix + bytesMax + 2);
    const start = this.#position;
    const written = utf8Encoder.encodeInto(
      text,
      this.#buffer.subarray(start + prefix, start + prefix + bytesMax),
    ).written;
    const needed = varintSize(written);
    if (needed !== prefix) {
      this.#buffer.copyWithin(start + needed, start + prefix, start + prefix + written);
    }
    const buffer = this.#buffer;
    let position = start;
    let rest = written;
    while (rest > 0x7f) {
      buffer[position++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buffer[position++] = rest;
    this.#position = position + written;
  }

  #bytes(bytes: Uint8Array): void {
    this.varint32(bytes.length);
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#position);
    this.#position += bytes.length;
  }

  #reserve(count: number): void {
    const needed = this.#position + count;
    if (needed <= this.#buffer.length) return;
    assert(needed < 2 ** 31, 'ByteWriter: message over 2 GiB');
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#buffer.subarray(0, this.#position));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
    // Keep the larger buffer for later messages, up to a bound so one huge message is not kept.
    if (capacity <= SCRATCH_BYTES_KEPT_MAX) {
      ByteWriter.#sharedBuffer = grown;
      ByteWriter.#sharedView = this.#view;
    }
  }
}

/** Longest string written by a plain loop (when ASCII); longer ones go through `encodeInto`. */
const ASCII_LOOP_LENGTH_MAX = 24;

/** Largest scratch buffer kept between messages. */
const SCRATCH_BYTES_KEPT_MAX = 16 * 1024 * 1024;

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) size++;
  return size;
}
