import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
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
import { RowDeltaSchema, SyncResponseSchema } from '../gen/lakesync_pb';
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
