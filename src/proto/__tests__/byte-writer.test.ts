import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { makeDelta } from '../../delta/delta-id';
import { HLC } from '../../hlc/hlc';
import { ByteWriter } from '../byte-writer';
import { decodeSyncResponse, encodeSyncResponse } from '../codec';
import type { SyncResponse } from '../types';

/** Writes the same fields with both writers: tag 1 string, tag 2 nested body of `body` strings. */
function both(texts: readonly string[], nested: readonly string[]): [Uint8Array, Uint8Array] {
  const ours = new ByteWriter();
  const theirs = new BinaryWriter();
  for (const text of texts) {
    ours.varint32(10);
    ours.string(text);
    theirs.uint32(10).string(text);
  }
  ours.varint32(18);
  const start = ours.begin();
  theirs.uint32(18).fork();
  for (const text of nested) {
    ours.varint32(10);
    ours.string(text);
    ours.varint32(17);
    ours.fixed64(0xfedcba9876543210n);
    theirs.uint32(10).string(text).uint32(17).fixed64(0xfedcba9876543210n);
  }
  ours.end(start);
  theirs.join();
  return [ours.finish(), theirs.finish()];
}

describe('ByteWriter', () => {
  it('writes what BinaryWriter writes, for short, long, non-ASCII and lone-surrogate strings', () => {
    const texts = [
      '',
      'a',
      'x'.repeat(42),
      'x'.repeat(43),
      'y'.repeat(300),
      'é',
      'milk 🥛',
      '\ud800',
    ];
    const [ours, theirs] = both(texts, texts);
    expect(ours).toEqual(theirs);
  });

  it('moves a nested body whose length needs two or three varint bytes', () => {
    for (const size of [127, 128, 16_383, 16_384, 70_000]) {
      const [ours, theirs] = both([], ['z'.repeat(size)]);
      expect(ours).toEqual(theirs);
    }
  });

  it('grows past its scratch buffer and still writes the same bytes', () => {
    const big = Array.from({ length: 3_000 }, (_, index) => `row-${index}-${'q'.repeat(40)}`);
    const [ours, theirs] = both(big, big);
    expect(ours).toEqual(theirs);
    const [small] = both(['after'], []);
    expect(small).toEqual(both(['after'], [])[1]);
  });

  it('writes a plain JSON string literal only when no escape is needed', () => {
    const writer = new ByteWriter();
    expect(writer.plainJsonString('a"b')).toBe(false);
    expect(writer.plainJsonString('tab\t')).toBe(false);
    expect(writer.plainJsonString('é')).toBe(false);
    expect(writer.plainJsonString('task 1')).toBe(true);
    expect([...writer.finish()]).toEqual([8, ...new TextEncoder().encode('"task 1"')]);
  });
});

describe('encodeSyncResponse with delta bodies remembered', () => {
  it('gives the same bytes for a delta the second time, in another response, short or long', () => {
    const delta = (rowId: string, title: string) =>
      makeDelta({
        op: 'UPDATE',
        table: 'todos',
        rowId,
        clientId: 'client-a',
        hlc: HLC.encode(1_700_000_000_000, 1),
        columns: [{ column: 'title', value: title }],
      });
    const short = delta('r1', 'milk');
    const long = delta('r2', 'é'.repeat(300));
    const response = (deltas: SyncResponse['deltas']): SyncResponse => ({
      deltas,
      serverHlc: HLC.encode(1_700_000_000_001, 0),
      hasMore: false,
      cursor: HLC.ZERO,
      durableHlc: HLC.ZERO,
      gatewayId: 'gw',
      gatewayEpoch: HLC.ZERO,
      clientAcceptedHlc: HLC.ZERO,
      clientDurableHlc: HLC.ZERO,
      snapshot: false,
      error: null,
      snapshotNext: 0,
    });
    const first = encodeSyncResponse(response([short, long]));
    const again = encodeSyncResponse(response([short, long]));
    expect(again).toEqual(first);
    const reordered = encodeSyncResponse(response([long, short]));
    const decoded = decodeSyncResponse(reordered);
    expect(decoded.ok && decoded.value.deltas).toEqual([long, short]);
  });
});
