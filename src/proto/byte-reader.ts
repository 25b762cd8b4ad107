import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * The protobuf byte reader of the hot decoders (the counterpart of `byte-writer.ts`): a cursor
 * over one message's `Uint8Array` that reads tags, varints, fixed64s and length prefixes itself,
 * with the exact results and errors of bufbuild's `BinaryReader` (a property test compares them
 * read by read). `wire-reader.ts` and `message-readers.ts` build the messages on it.
 */

const PREMATURE_EOF = 'premature EOF';
const INVALID_VARINT = 'invalid varint';
/** Longest varint protobuf allows: 10 bytes hold 64 bits. */
const VARINT_BYTES_MAX = 10;

/**
 * A cursor over one message's bytes. It reads varints, fixed64s and lengths itself, over the
 * `Uint8Array`, and throws exactly what bufbuild's `BinaryReader` throws on the same bytes
 * (`RangeError('premature EOF')` past the end, `Error('invalid varint')` beyond 10 bytes), and
 * keeps its results (the low 32 bits of an oversized uint32, any of 64 bits set for a bool), so
 * refusals and their messages are those of the generated decoder. Bounds are those of the whole
 * input; the message readers check nested ends themselves.
 */
export class ByteReader {
  readonly input: Uint8Array;
  readonly len: number;
  pos = 0;
  /** The message's bytes as a `DataView`, for `fixed64`; made on first use. */
  #view: DataView | null = null;

  constructor(bytes: Uint8Array) {
    this.input = bytes;
    this.len = bytes.length;
  }

  /** A `uint32` varint (the low 32 bits of up to 10 bytes, as `BinaryReader.uint32`). */
  uint32(): number {
    const pos = this.pos;
    if (pos < this.len) {
      const byte = this.input[pos]!;
      if (byte < 0x80) {
        this.pos = pos + 1;
        return byte;
      }
    }
    return this.#uint32Long();
  }

  #uint32Long(): number {
    const input = this.input;
    let pos = this.pos;
    let value = 0;
    for (let index = 0; index < VARINT_BYTES_MAX; index++) {
      if (pos >= this.len) throw new RangeError(PREMATURE_EOF);
      const byte = input[pos++]!;
      // Bits past 32 are dropped: 7 from each of the first four bytes, 4 from the fifth.
      if (index < 4) value |= (byte & 0x7f) << (7 * index);
      else if (index === 4) value |= (byte & 0x0f) << 28;
      if (byte < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new Error(INVALID_VARINT);
  }

  /** An `int32` varint: the low 32 bits as a signed number. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A `bool` varint: true when any of its low 64 bits is set (as `BinaryReader.bool`). */
  bool(): boolean {
    const input = this.input;
    let pos = this.pos;
    let bits = 0;
    for (let index = 0; index < VARINT_BYTES_MAX; index++) {
      if (pos >= this.len) throw new RangeError(PREMATURE_EOF);
      const byte = input[pos++]!;
      // Nine bytes carry bits 0–62 (7 each); only the lowest bit of the tenth is bit 63.
      bits |= index < VARINT_BYTES_MAX - 1 ? byte & 0x7f : byte & 0x01;
      if (byte < 0x80) {
        this.pos = pos;
        return bits !== 0;
      }
    }
    throw new Error(INVALID_VARINT);
  }

  /**
   * A fixed64 as an unsigned bigint, read natively where it lies through a `DataView` over the
   * message (made at the first fixed64, then kept for the message's others): cheaper than copying
   * its 8 bytes into a scratch buffer first, or a bigint built from two halves.
   */
  fixed64(): bigint {
    const pos = this.pos;
    if (pos + 8 > this.len) throw new RangeError(PREMATURE_EOF);
    this.pos = pos + 8;
    if (this.#view === null) {
      const input = this.input;
      this.#view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    }
    return this.#view.getBigUint64(pos, true);
  }

  /** Reads a length prefix and returns where its payload ends; refuses one past the input. */
  lengthEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.len) throw new RangeError(PREMATURE_EOF);
    return end;
  }

  /**
   * Skips one field of the given wire type, as `BinaryReader.skip` does (a varint of any length;
   * a group through `BinaryReader` itself, which checks its nesting and end tag).
   */
  skip(wireType: WireType, field: number): void {
    const input = this.input;
    switch (wireType) {
      case WireType.Varint:
        while (true) {
          if (this.pos >= this.len) throw new RangeError(PREMATURE_EOF);
          if (input[this.pos++]! < 0x80) return;
        }
      case WireType.Bit64:
        this.#advance(8);
        return;
      case WireType.Bit32:
        this.#advance(4);
        return;
      case WireType.LengthDelimited:
        this.#advance(this.uint32());
        return;
      default: {
        const groupReader = new BinaryReader(input);
        groupReader.pos = this.pos;
        groupReader.skip(wireType, field);
        this.pos = groupReader.pos;
      }
    }
  }

  #advance(count: number): void {
    this.pos += count;
    if (this.pos > this.len) throw new RangeError(PREMATURE_EOF);
  }
}
