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
import { encodeSyncPushBySchema, encodeSyncResponseBySchema } from '../schema-codec';
import { hlc, hlcOf, sampleDelta, samplePull, samplePush, sampleResponse } from './sample-messages';

const HLC_EDGES = [hlc(0n), hlcOf(2 ** 48 - 1, 0xffff), hlc((1n << 64n) - 1n)];

describe('codec round trips (the plan’s seven)', () => {
  it('1. round-trips a SyncPush with multiple deltas', () => {
    const push = samplePush(7);
    expect(decodeSyncPush(encodeSyncPush(push))).toEqual({ ok: true, value: push });
  });

  it('2. round-trips a SyncPull', () => {
    expect(decodeSyncPull(encodeSyncPull(samplePull))).toEqual({ ok: true, value: samplePull });
  });

  it('3. round-trips a SyncResponse with hasMore = true, a snapshot flag and an error reply', () => {
    const response = sampleResponse(3, {
      snapshot: true,
      error: { code: 'SEQUENCE_GAP', message: 're-push after 42' },
    });
    expect(response.hasMore).toBe(true);
    expect(decodeSyncResponse(encodeSyncResponse(response))).toEqual({ ok: true, value: response });
  });

  it('4. keeps HLCs exact through fixed64 in every HLC field', () => {
    for (const edge of HLC_EDGES) {
      const push = { ...samplePush(1), lastSeenHlc: edge, baseHlc: edge };
      push.deltas = [{ ...sampleDelta(1), hlc: edge }];
      const decoded = decodeSyncPush(encodeSyncPush(push));
      expect(decoded.ok && decoded.value.deltas[0]!.hlc === edge).toBe(true);
      expect(
        decoded.ok && decoded.value.lastSeenHlc === edge && decoded.value.baseHlc === edge,
      ).toBe(true);
      const response = sampleResponse(0, {
        serverHlc: edge,
        cursor: edge,
        durableHlc: edge,
        gatewayEpoch: edge,
        clientAcceptedHlc: edge,
        clientDurableHlc: edge,
      });
      expect(decodeSyncResponse(encodeSyncResponse(response))).toEqual({
        ok: true,
        value: response,
      });
      const pull = { ...samplePull, sinceHlc: edge, gatewayEpoch: edge };
      expect(decodeSyncPull(encodeSyncPull(pull))).toEqual({ ok: true, value: pull });
    }
  });

  it('5. round-trips empty deltas arrays', () => {
    const push = { ...samplePush(0) };
    expect(push.deltas).toHaveLength(0);
    expect(decodeSyncPush(encodeSyncPush(push))).toEqual({ ok: true, value: push });
    const response = sampleResponse(0, { hasMore: false });
    expect(decodeSyncResponse(encodeSyncResponse(response))).toEqual({ ok: true, value: response });
  });

  it('6. carries a 1000-delta payload without corruption', () => {
    const push = samplePush(1000);
    const bytes = encodeSyncPush(push);
    const decoded = decodeSyncPush(bytes);
    expect(decoded).toEqual({ ok: true, value: push });
    expect(decoded.ok && decoded.value.deltas[999]!.deltaId).toBe(push.deltas[999]!.deltaId);
  });

  it('7. maps HLCTimestamp → proto → HLCTimestamp exactly, also through the generated schema', () => {
    for (const edge of HLC_EDGES) {
      const delta = { ...sampleDelta(3), hlc: edge };
      const bytes = encodeRowDelta(delta);
      expect(fromBinary(RowDeltaSchema, bytes).hlc).toBe(BigInt(edge));
      const decoded = decodeRowDelta(bytes);
      expect(decoded.ok && decoded.value.hlc).toBe(edge);
      expect(decoded).toEqual({ ok: true, value: delta });
    }
  });
});

describe('codec encoding', () => {
  it('writes undefined values as JSON null, so they decode as null', () => {
    const delta = sampleDelta(1, { columns: [{ column: 'note', value: undefined }] });
    const wire = fromBinary(RowDeltaSchema, encodeRowDelta(delta));
    expect(new TextDecoder().decode(wire.columns[0]!.value)).toBe('null');
    const decoded = decodeRowDelta(encodeRowDelta(delta));
    expect(decoded.ok && decoded.value.columns[0]!.value).toBeNull();
  });

  it('produces exactly the bytes of the generated toBinary', () => {
    const push = samplePush(20);
    expect(encodeSyncPush(push)).toEqual(encodeSyncPushBySchema(push));
    const response = sampleResponse(5, { error: { code: 'BACKPRESSURE', message: '' } });
    expect(encodeSyncResponse(response)).toEqual(encodeSyncResponseBySchema(response));
  });

  it('asserts on a value without a JSON form instead of writing garbage', () => {
    const delta = sampleDelta(1, { columns: [{ column: 'big', value: 1n }] });
    expect(() => encodeRowDelta(delta)).toThrow(/no JSON form/);
  });

  it('refuses to encode a maxDeltas that is not a uint32', () => {
    expect(() => encodeSyncPull({ ...samplePull, maxDeltas: -1 })).toThrow(/uint32/);
  });

  it('keeps columns named __proto__ or constructor as plain data', () => {
    const delta = sampleDelta(1, {
      columns: [
        { column: '__proto__', value: { polluted: true } },
        { column: 'constructor', value: 'x' },
      ],
    });
    const decoded = decodeRowDelta(encodeRowDelta(delta));
    expect(decoded).toEqual({ ok: true, value: delta });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

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

describe('codec compatibility', () => {
  it('ignores unknown fields from a newer peer', () => {
    const bytes = encodeSyncPull(samplePull);
    // field 99, length-delimited, 2 bytes; field 100, varint 5; field 101, fixed32.
    const extra = new Uint8Array([
      0x9a, 0x06, 0x02, 0x68, 0x69, 0xa0, 0x06, 0x05, 0xad, 0x06, 1, 2, 3, 4,
    ]);
    const withExtra = new Uint8Array([...bytes, ...extra]);
    expect(decodeSyncPull(withExtra)).toEqual({ ok: true, value: samplePull });
  });

  it('decodes fields in any order and lets the last scalar win, as protobuf requires', () => {
    const first = encodeSyncPull({ ...samplePull, maxDeltas: 1 });
    const second = encodeSyncPull(samplePull);
    expect(decodeSyncPull(new Uint8Array([...first, ...second]))).toEqual({
      ok: true,
      value: samplePull,
    });
  });

  it('merges a repeated error reply field, as the generated decoder does', () => {
    const a = encodeSyncResponse(sampleResponse(0, { error: { code: 'X', message: 'first' } }));
    const b = toBinary(
      SyncResponseSchema,
      create(SyncResponseSchema, { error: { code: '', message: 'second' } }),
    );
    const decoded = decodeSyncResponse(new Uint8Array([...a, ...b]));
    expect(decoded.ok && decoded.value.error).toEqual({ code: 'X', message: 'second' });
  });
});
