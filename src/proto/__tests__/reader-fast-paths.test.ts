import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../byte-reader';
import { parseJsonValueBytes } from '../json-value';
import { forgetInternedTexts, TEXT_INTERN_SLOTS, TEXT_INTERNED_BYTES_MAX } from '../text-intern';
import { utf8RangeOrNull } from '../utf8';

/**
 * The decoder's fast paths against the slow, obviously correct code they replace:
 * - `ByteReader` reads varints, bools, fixed64s and skips fields exactly as bufbuild's
 *   `BinaryReader` does: the same value and position, or the same error;
 * - `utf8RangeOrNull` (the intern table and the ASCII loop) gives exactly what the fatal
 *   `TextDecoder` gives on the same bytes, or `null` where it throws, however often a text repeats
 *   and whatever else shares its slot;
 * - short decimal numbers parse exactly as `JSON.parse` reads them.
 */

const NUM_RUNS = 10_000;

type Outcome =
  | { readonly ok: true; readonly value: unknown; readonly pos: number }
  | { readonly ok: false; readonly error: string };

function outcomeOf(read: () => unknown, position: () => number): Outcome {
  try {
    const value = read();
    return { ok: true, value, pos: position() };
  } catch (caught) {
    const error = caught as Error;
    return { ok: false, error: `${error.constructor.name}: ${error.message}` };
  }
}

/** Bytes rich in varint continuation bits, so long and unterminated varints are common. */
const wireBytesArb = fc
  .uint8Array({ maxLength: 24 })
  .chain((bytes) =>
    fc
      .array(fc.nat({ max: 255 }), { minLength: bytes.length, maxLength: bytes.length })
      .map((high) => bytes.map((byte, index) => (high[index]! < 160 ? byte | 0x80 : byte))),
  );

/**
 * A varint of up to 11 bytes whose continuation bytes are mostly bare (0x80), then any last byte:
 * reaches the 5th byte (bits past 32) and the 10th (bit 63 and beyond) with zeros before them.
 */
const edgeVarintArb = fc
  .tuple(
    fc.array(fc.constantFrom(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0xff), {
      maxLength: 11,
    }),
    fc.nat({ max: 255 }),
  )
  .map(([continuations, last]) => Uint8Array.from([...continuations, last]));

const readerCaseArb = fc.oneof(
  fc.record({
    bytes: fc.oneof(fc.uint8Array({ maxLength: 24 }), wireBytesArb),
    start: fc.nat({ max: 24 }),
  }),
  fc.record({ bytes: edgeVarintArb, start: fc.constant(0) }),
);

/** The same read on both readers: ours (`ByteReader`) and bufbuild's (`BinaryReader`). */
const READS: ReadonlyArray<
  readonly [string, (r: ByteReader) => unknown, (r: BinaryReader) => unknown]
> = [
  ['uint32', (r) => r.uint32(), (r) => r.uint32()],
  ['int32', (r) => r.int32(), (r) => r.int32()],
  ['bool', (r) => r.bool(), (r) => r.bool()],
  ['skip varint', (r) => r.skip(WireType.Varint, 9), (r) => r.skip(WireType.Varint, 9)],
  ['skip fixed64', (r) => r.skip(WireType.Bit64, 9), (r) => r.skip(WireType.Bit64, 9)],
  ['skip fixed32', (r) => r.skip(WireType.Bit32, 9), (r) => r.skip(WireType.Bit32, 9)],
  [
    'skip length-delimited',
    (r) => r.skip(WireType.LengthDelimited, 9),
    (r) => r.skip(WireType.LengthDelimited, 9),
  ],
  ['skip group', (r) => r.skip(WireType.StartGroup, 9), (r) => r.skip(WireType.StartGroup, 9)],
];

describe('ByteReader', () => {
  it.each(READS)('%s reads exactly as BinaryReader does', (name, ours, theirs) => {
    fc.assert(
      fc.property(readerCaseArb, ({ bytes, start }) => {
        const at = Math.min(start, bytes.length);
        const wire = new ByteReader(bytes);
        wire.pos = at;
        const reference = new BinaryReader(bytes);
        reference.pos = at;
        const got = outcomeOf(
          () => ours(wire),
          () => wire.pos,
        );
        const want = outcomeOf(
          () => theirs(reference),
          () => reference.pos,
        );
        // `skip` returns the skipped bytes in bufbuild; ours returns nothing: compare positions.
        if (got.ok && want.ok && name.startsWith('skip')) {
          expect(got.pos).toBe(want.pos);
          return;
        }
        expect(got).toEqual(want);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('reads a fixed64 as the little-endian unsigned value, and refuses one past the end', () => {
    fc.assert(
      fc.property(readerCaseArb, ({ bytes, start }) => {
        const at = Math.min(start, bytes.length);
        const wire = new ByteReader(bytes);
        wire.pos = at;
        const got = outcomeOf(
          () => wire.fixed64(),
          () => wire.pos,
        );
        if (at + 8 > bytes.length) {
          expect(got).toEqual({ ok: false, error: 'RangeError: premature EOF' });
          return;
        }
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        expect(got).toEqual({ ok: true, value: view.getBigUint64(at, true), pos: at + 8 });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** The reference: the fatal decoder, `null` where it throws. */
function strictOrNull(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Malformed UTF-8: encoded surrogates, overlongs, stray continuations, truncated sequences. */
const MALFORMED: readonly number[][] = [
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
  [0xbf],
  [0xe6, 0x97],
  [0xf0, 0x9f, 0x9a],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
];

/** A text's bytes: valid UTF-8 of ASCII, non-ASCII or emoji, sometimes with a malformed piece. */
const textBytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ maxLength: 70 }).map((text) => encoder.encode(text)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => encoder.encode(text)),
  fc
    .tuple(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(...MALFORMED),
      fc.string({ maxLength: 30 }),
    )
    .map(([before, bad, after]) => {
      const head = encoder.encode(before);
      const tail = encoder.encode(after);
      return Uint8Array.from([...head, ...bad, ...tail]);
    }),
  fc.uint8Array({ maxLength: 70 }),
);

/**
 * Keys that collide on purpose: hex ids of one length that agree in their first and last 8 bytes
 * and differ only in the middle, so they hash to the same slot and only the full comparison tells
 * them apart.
 */
const collidingKeyArb = fc
  .tuple(fc.integer({ min: 17, max: TEXT_INTERNED_BYTES_MAX }), fc.nat({ max: 15 }))
  .map(([length, digit]) => {
    const middle = digit.toString(16).repeat(length - 16);
    return encoder.encode(`aaaaaaaa${middle}bbbbbbbb`);
  });

describe('utf8RangeOrNull', () => {
  it('decodes any bytes as the fatal TextDecoder does, at any offset, however often', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(textBytesArb, collidingKeyArb), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 5 }),
        (texts, padding) => {
          // Each text twice (a miss, then most likely a hit), inside a larger buffer.
          for (const text of [...texts, ...texts]) {
            const buffer = new Uint8Array(padding + text.length + 3).fill(0x41);
            buffer.set(text, padding);
            const got = utf8RangeOrNull(buffer, padding, padding + text.length);
            expect(got).toBe(strictOrNull(text));
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps giving the right text when more keys than slots pass through, or after forgetting', () => {
    const keys = Array.from({ length: TEXT_INTERN_SLOTS * 2 }, (_, index) =>
      encoder.encode(`key-${index.toString(36)}-ü`),
    );
    for (let round = 0; round < 3; round++) {
      if (round === 2) forgetInternedTexts();
      for (const key of keys) expect(utf8RangeOrNull(key, 0, key.length)).toBe(strictOrNull(key));
    }
  });

  it('keeps a leading byte-order mark as text, and refuses malformed texts every time', () => {
    const marked = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(utf8RangeOrNull(marked, 0, 4)).toBe('\uFEFFa');
    for (const bad of MALFORMED) {
      const bytes = Uint8Array.from(bad);
      expect(utf8RangeOrNull(bytes, 0, bytes.length)).toBeNull();
      expect(utf8RangeOrNull(bytes, 0, bytes.length)).toBeNull();
    }
  });
});

describe('short numbers', () => {
  /** `-?digits(.digits)?` with up to 17 digits in all: some inside the fast path, some beyond. */
  const decimalTextArb = fc
    .tuple(
      fc.boolean(),
      fc.stringMatching(/^(0|[1-9][0-9]{0,9})$/),
      fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }),
    )
    .map(
      ([negative, whole, fraction]) =>
        `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
    );

  it('parse exactly as JSON.parse reads them', () => {
    fc.assert(
      fc.property(decimalTextArb, (text) => {
        const value = parseJsonValueBytes(encoder.encode(text));
        expect(Object.is(value, JSON.parse(text))).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parse every two-decimal number as JSON.parse does, and -0.0 as -0', () => {
    for (let cents = -100_000; cents <= 100_000; cents += 7) {
      const text = JSON.stringify(cents / 100);
      expect(Object.is(parseJsonValueBytes(encoder.encode(text)), JSON.parse(text))).toBe(true);
    }
    expect(Object.is(parseJsonValueBytes(encoder.encode('-0.0')), -0)).toBe(true);
    expect(Object.is(parseJsonValueBytes(encoder.encode('-0')), -0)).toBe(true);
  });
});
