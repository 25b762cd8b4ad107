import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../result/errors';
import {
  decodeRowDelta,
  decodeSyncPull,
  decodeSyncPush,
  decodeSyncResponse,
  encodeRowDelta,
  encodeSyncPull,
  encodeSyncPush,
  encodeSyncResponse,
} from '../codec';
import {
  RowDeltaSchema,
  SyncPushSchema,
  SyncResponseSchema,
  type DeltaOp as WireDeltaOp,
} from '../gen/lakesync_pb';
import { DEFAULT_CODEC_LIMITS } from '../limits';
import { sampleDelta, samplePull, samplePush, sampleResponse } from './sample-messages';

/**
 * Every structural refusal of the decoders: each gives an `Err(CodecError)` whose message names
 * the field and the problem, and none throws. Malformed messages are built with the generated
 * schema (or by hand), bypassing the codec's own encoder.
 */

/** Encodes a RowDelta through the generated schema, bypassing the codec's own encoder. */
function rawDelta(init: Parameters<typeof create<typeof RowDeltaSchema>>[1]): Uint8Array {
  const valid = {
    op: 1,
    table: 't',
    rowId: 'r',
    clientId: 'c',
    deltaId: 'd',
    hlc: 5n,
    columns: [{ column: 'a', value: new TextEncoder().encode('1') }],
  };
  return toBinary(RowDeltaSchema, create(RowDeltaSchema, { ...valid, ...init }));
}

function pushOf(delta: Uint8Array): Uint8Array {
  const message = create(SyncPushSchema, {
    clientId: 'c',
    deltas: [fromBinary(RowDeltaSchema, delta)],
  });
  return toBinary(SyncPushSchema, message);
}

function expectCodecError(result: { ok: boolean; error?: unknown }, pattern: RegExp): void {
  expect(result.ok).toBe(false);
  expect(result.error).toBeInstanceOf(CodecError);
  expect((result.error as CodecError).message).toMatch(pattern);
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('codec refusals (never a throw)', () => {
  it('exports the documented default limits', () => {
    expect(DEFAULT_CODEC_LIMITS).toEqual({
      messageBytesMax: 16 * 1024 * 1024,
      deltasMax: 100_000,
      columnsMax: 256,
      valueBytesMax: 64 * 1024,
    });
  });

  it('refuses every truncation of a valid push with an Err, never a throw', () => {
    const bytes = encodeSyncPush(samplePush(3));
    let refused = 0;
    for (let length = 0; length < bytes.length; length++) {
      const result = decodeSyncPush(bytes.subarray(0, length));
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(CodecError);
        refused++;
      }
    }
    // Only cuts that land exactly between top-level fields can still decode.
    expect(refused).toBeGreaterThan(bytes.length - 10);
  });

  it('refuses garbage', () => {
    expectCodecError(decodeSyncPush(new Uint8Array([0xff, 0xff, 0xff])), /SyncPush/);
    expectCodecError(decodeSyncResponse(new Uint8Array([0x0a, 0x7f, 0x01])), /truncated/);
  });

  it('refuses a message over messageBytesMax before reading it', () => {
    const bytes = encodeSyncPush(samplePush(2));
    expectCodecError(
      decodeSyncPush(bytes, { messageBytesMax: bytes.length - 1 }),
      /over the \d+-byte limit/,
    );
    expect(decodeSyncPush(bytes, { messageBytesMax: bytes.length }).ok).toBe(true);
  });

  it('refuses an unknown op and names its number', () => {
    expectCodecError(
      decodeSyncPush(pushOf(rawDelta({ op: 7 as WireDeltaOp }))),
      /deltas\[0\]\.op: unknown op 7/,
    );
  });

  it('refuses an unspecified op', () => {
    expectCodecError(decodeRowDelta(rawDelta({ op: 0 })), /op is unspecified \(0\)/);
  });

  it.each([
    ['table', { table: '' }],
    ['rowId', { rowId: '' }],
    ['clientId', { clientId: '' }],
    ['deltaId', { deltaId: '' }],
  ])('refuses an empty %s', (field, init) => {
    expectCodecError(decodeRowDelta(rawDelta(init)), new RegExp(`${field} is empty`));
  });

  it('refuses an empty clientId on a push or a pull', () => {
    expectCodecError(
      decodeSyncPush(encodeSyncPush({ ...samplePush(1), clientId: '' })),
      /clientId/,
    );
    expectCodecError(decodeSyncPull(encodeSyncPull({ ...samplePull, clientId: '' })), /clientId/);
  });

  it.each([
    ['not well-formed UTF-8', new Uint8Array([0x22, 0xc3, 0x28, 0x22]), /not well-formed UTF-8/],
    ['not JSON', bytesOf('{nope'), /not valid JSON/],
    ['two JSON values', bytesOf('1 2'), /not valid JSON/],
    ['absent', new Uint8Array(0), /value is empty/],
    ['a leading byte-order mark', bytesOf('\uFEFF1'), /not valid JSON/],
  ])('refuses a value that is %s', (_name, value, pattern) => {
    const bytes = rawDelta({ columns: [{ column: 'a', value }] });
    expectCodecError(decodeRowDelta(bytes), pattern);
  });

  it('refuses a value over valueBytesMax and accepts one at the limit', () => {
    const atLimit = bytesOf(`"${'x'.repeat(98)}"`);
    const bytes = rawDelta({ columns: [{ column: 'a', value: atLimit }] });
    expect(decodeRowDelta(bytes, { valueBytesMax: 100 }).ok).toBe(true);
    expectCodecError(decodeRowDelta(bytes, { valueBytesMax: 99 }), /over 99 bytes/);
  });

  it('refuses more than deltasMax deltas and accepts exactly deltasMax', () => {
    const bytes = encodeSyncPush(samplePush(5));
    expect(decodeSyncPush(bytes, { deltasMax: 5 }).ok).toBe(true);
    expectCodecError(decodeSyncPush(bytes, { deltasMax: 4 }), /more than 4 deltas/);
    const response = encodeSyncResponse(sampleResponse(5));
    expectCodecError(decodeSyncResponse(response, { deltasMax: 4 }), /more than 4 deltas/);
  });

  it('refuses more than columnsMax columns and accepts exactly columnsMax', () => {
    const columns = Array.from({ length: 4 }, (_, index) => ({
      column: `c${index}`,
      value: index,
    }));
    const bytes = encodeRowDelta(sampleDelta(1, { columns }));
    expect(decodeRowDelta(bytes, { columnsMax: 4 }).ok).toBe(true);
    expectCodecError(decodeRowDelta(bytes, { columnsMax: 3 }), /more than 3 columns/);
  });

  it('refuses duplicate column names, with few columns and with many', () => {
    const few = [
      { column: 'a', value: 1 },
      { column: 'a', value: 2 },
    ];
    expectCodecError(
      decodeRowDelta(encodeRowDelta(sampleDelta(1, { columns: few }))),
      /duplicate column "a"/,
    );
    const many = Array.from({ length: 40 }, (_, index) => ({ column: `c${index % 39}`, value: 0 }));
    expectCodecError(
      decodeRowDelta(encodeRowDelta(sampleDelta(1, { columns: many }))),
      /duplicate column "c0"/,
    );
  });

  it('refuses an empty column name', () => {
    const bytes = rawDelta({ columns: [{ column: '', value: bytesOf('1') }] });
    expectCodecError(decodeRowDelta(bytes), /column name is empty/);
  });

  it('refuses a string field that is not well-formed UTF-8', () => {
    // RowDelta: op=1, table = [0xff].
    const bytes = new Uint8Array([0x08, 0x01, 0x12, 0x01, 0xff]);
    expectCodecError(decodeRowDelta(bytes), /RowDelta\.table: not well-formed UTF-8/);
  });

  it('names the column whose name is not well-formed UTF-8, or runs past the message', () => {
    // RowDelta: op=1, columns[0] = {name: "a", value: 1}, columns[1] = {name: [0xc3, 0x28]}.
    const head = [0x08, 0x01, 0x22, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x31];
    const malformed = new Uint8Array([...head, 0x22, 0x04, 0x0a, 0x02, 0xc3, 0x28]);
    expectCodecError(decodeRowDelta(malformed), /^RowDelta\.columns\[1\]: not well-formed UTF-8$/);
    // The name's length says 5 bytes where the column holds 2.
    const overlong = new Uint8Array([...head, 0x22, 0x04, 0x0a, 0x05, 0x61, 0x62]);
    expectCodecError(decodeRowDelta(overlong), /^RowDelta\.columns\[1\]: /);
  });

  it('refuses a known field with the wrong wire type', () => {
    // SyncPush field 3 (last_seen_hlc, fixed64) sent as a varint.
    expectCodecError(
      decodeSyncPush(new Uint8Array([0x18, 0x01])),
      /field 3 has the wrong wire type 0/,
    );
  });

  it('refuses an error reply without a code', () => {
    const message = create(SyncResponseSchema, { error: { code: '', message: 'why' } });
    expectCodecError(
      decodeSyncResponse(toBinary(SyncResponseSchema, message)),
      /error\.code: code is empty/,
    );
  });

  it('refuses input that is not a Uint8Array', () => {
    expectCodecError(decodeSyncPush('nope' as unknown as Uint8Array), /expected a Uint8Array/);
  });
});
