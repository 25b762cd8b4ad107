import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sha256Hex as resolvedSha256Hex, SHA256_IMPLEMENTATION } from '#sha256';
import { HLC } from '../../hlc/hlc';
import { type DeltaIdFields, deltaId, deltaIdInput } from '../delta-id';
import { sha256Hex as nativeSha256Hex } from '../sha256-native';
import { sha256Hex as portableSha256Hex } from '../sha256-portable';

/**
 * The two SHA-256 implementations behind `#sha256` agree on every input, so a delta written in a
 * browser (pure-JS hash) has the same `deltaId` as the same write made on Node or Bun (native).
 */

const NUM_RUNS = 500;

const fieldsArb: fc.Arbitrary<DeltaIdFields> = fc.record({
  clientId: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
  hlc: fc
    .tuple(fc.integer({ min: 0, max: HLC.WALL_MAX }), fc.integer({ min: 0, max: HLC.COUNTER_MAX }))
    .map(([wall, counter]) => HLC.encode(wall, counter)),
  table: fc.string({ minLength: 1, maxLength: 8 }),
  rowId: fc.string({ minLength: 1, maxLength: 16, unit: 'binary' }),
  columns: fc.uniqueArray(
    fc.record({
      column: fc.string({ minLength: 1, maxLength: 8 }),
      value: fc.jsonValue({ maxDepth: 3 }),
    }),
    { maxLength: 5, selector: (column) => column.column },
  ),
});

describe('#sha256', () => {
  it('resolves to node:crypto under Node (the fast path the deltaId benchmark measures)', () => {
    expect(SHA256_IMPLEMENTATION).toBe('node:crypto');
    expect(resolvedSha256Hex).toBe(nativeSha256Hex);
  });

  it('both implementations give the published digests', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    for (const hash of [nativeSha256Hex, portableSha256Hex]) {
      expect(hash('abc')).toBe(abc);
      expect(hash('')).toBe(empty);
    }
  });

  test.prop([fc.string({ maxLength: 300, unit: 'binary' })], { numRuns: NUM_RUNS })(
    'agree on any string, lone surrogates and astral characters included',
    (text) => {
      expect(portableSha256Hex(text)).toBe(nativeSha256Hex(text));
      expect(portableSha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    },
  );

  test.prop([fieldsArb], { numRuns: NUM_RUNS })(
    'give the same deltaId: the browser id equals the Node id for any delta',
    (fields) => {
      expect(portableSha256Hex(deltaIdInput(fields))).toBe(deltaId(fields));
    },
  );

  it('agree across the 64-byte block boundaries of SHA-256 padding', () => {
    for (let length = 0; length <= 200; length++) {
      const text = 'é'.repeat(length >> 1) + 'x'.repeat(length & 1);
      expect(portableSha256Hex(text)).toBe(nativeSha256Hex(text));
    }
  });
});
