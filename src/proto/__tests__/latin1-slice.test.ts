import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { latin1Slice, latin1SliceOn, type RuntimeGlobals } from '../utf8';

/**
 * Bun's decoder makes short ASCII texts with `Buffer.prototype.latin1Slice` instead of a code
 * array (`utf8.ts`). These pin that call to the fatal `TextDecoder` on random ASCII at random
 * offsets, and check when it is chosen. Under Node the property runs Node's `latin1Slice` (the
 * same API); `npx bun --bun vitest run src/proto` runs it, and every other decoder test, on Bun's.
 */

const NUM_RUNS = 10_000;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const runtime = globalThis as RuntimeGlobals;
const onBun = runtime.Bun !== undefined;

/** Node's or Bun's `latin1Slice`, chosen as if on Bun. */
const slice = latin1SliceOn({ Bun: {}, Buffer: runtime.Buffer });

describe('latin1SliceOn', () => {
  it('gives the text of any ASCII range of a plain Uint8Array, as the fatal TextDecoder does', () => {
    expect(slice).not.toBeNull();
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 0x7f }), { maxLength: 80 }),
        fc.uint8Array({ maxLength: 6 }),
        fc.uint8Array({ maxLength: 6 }),
        (codes, before, after) => {
          const bytes = Uint8Array.from([...before, ...codes, ...after]);
          const start = before.length;
          const end = start + codes.length;
          const expected = strict.decode(bytes.subarray(start, end));
          expect(slice!.call(bytes, start, end)).toBe(expected);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('is chosen on Bun only, and only when it reads a Uint8Array as expected', () => {
    expect(latin1Slice !== null).toBe(onBun);
    expect(latin1SliceOn({ Buffer: runtime.Buffer })).toBeNull();
    expect(latin1SliceOn({ Bun: {} })).toBeNull();
    expect(latin1SliceOn({ Bun: {}, Buffer: { prototype: { latin1Slice: 'no' } } })).toBeNull();
    const wrong = () => 'a';
    expect(latin1SliceOn({ Bun: {}, Buffer: { prototype: { latin1Slice: wrong } } })).toBeNull();
    const throwing = () => {
      throw new TypeError('not a Buffer');
    };
    expect(latin1SliceOn({ Bun: {}, Buffer: { prototype: { latin1Slice: throwing } } })).toBeNull();
  });
});
