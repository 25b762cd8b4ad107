import type { ColumnDelta, DeltaOp, RowDelta } from '../../delta/types';
import type { HLCTimestamp } from '../../hlc/types';
import type { SyncPull, SyncPush, SyncResponse } from '../types';

/** Test fixtures for the codec: small, explicit, deterministic messages. */

export const hlc = (value: bigint): HLCTimestamp => value as HLCTimestamp;

/** `wall` ms and `counter` packed as an HLC. */
export const hlcOf = (wall: number, counter: number): HLCTimestamp =>
  ((BigInt(wall) << 16n) | BigInt(counter)) as HLCTimestamp;

/** A 64-hex-digit stand-in for a SHA-256 delta id, derived from `seed`. */
export function fakeDeltaId(seed: number): string {
  return seed.toString(16).padStart(8, '0').repeat(8);
}

export function sampleDelta(index: number, overrides: Partial<RowDelta> = {}): RowDelta {
  const op: DeltaOp = index % 7 === 6 ? 'DELETE' : index % 3 === 0 ? 'INSERT' : 'UPDATE';
  const columns: ColumnDelta[] =
    op === 'DELETE'
      ? []
      : [
          { column: 'title', value: `Buy milk #${index} — ünïcødé ✓` },
          { column: 'done', value: index % 2 === 0 },
          { column: 'priority', value: index % 5 },
          { column: 'meta', value: { tags: ['a', index], ratio: index / 7, note: null } },
        ];
  return {
    op,
    table: 'todos',
    rowId: `row-${index % 50}`,
    clientId: 'client-a',
    columns,
    hlc: hlcOf(1_764_000_000_000 + index, index % 3),
    deltaId: fakeDeltaId(index),
    ...overrides,
  };
}

export function samplePush(count: number): SyncPush {
  return {
    clientId: 'client-a',
    deltas: Array.from({ length: count }, (_, index) => sampleDelta(index)),
    lastSeenHlc: hlcOf(1_763_999_999_000, 4),
    baseHlc: hlcOf(1_763_999_999_500, 0),
  };
}

export const samplePull: SyncPull = {
  clientId: 'client-b',
  sinceHlc: hlcOf(1_764_000_000_123, 9),
  maxDeltas: 500,
  gatewayEpoch: hlcOf(1_763_000_000_000, 1),
  snapshotOffset: 40,
};

export function sampleResponse(count: number, overrides: Partial<SyncResponse> = {}): SyncResponse {
  return {
    deltas: Array.from({ length: count }, (_, index) => sampleDelta(index)),
    serverHlc: hlcOf(1_764_000_001_000, 2),
    hasMore: true,
    cursor: hlcOf(1_764_000_000_900, 0),
    durableHlc: hlcOf(1_764_000_000_500, 0),
    gatewayId: 'gateway-1',
    gatewayEpoch: hlcOf(1_763_000_000_000, 1),
    clientAcceptedHlc: hlcOf(1_764_000_000_010, 0),
    clientDurableHlc: hlcOf(1_764_000_000_005, 0),
    snapshot: false,
    error: null,
    snapshotNext: 0,
    ...overrides,
  };
}
