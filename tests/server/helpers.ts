import { expect } from 'vitest';
import {
  type GatewayServer,
  type GatewayServerOptions,
  startGatewayServer,
} from '../../server/start';
import { MemoryAdapter } from '../../src/adapter/memory-adapter';
import type { LakeAdapter } from '../../src/adapter/types';
import { makeDelta } from '../../src/delta/delta-id';
import type { RowDelta } from '../../src/delta/types';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { decodeSyncResponse, encodeSyncPull, encodeSyncPush } from '../../src/proto/codec';
import type { SyncResponse } from '../../src/proto/types';
import { AdapterError } from '../../src/result/errors';
import { Err, unwrapOrThrow } from '../../src/result/result';

/** The HS256 secret every server test signs with. */
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const PROTOBUF = 'application/x-protobuf';

/** A server on a free loopback port, on manual time, over an in-memory lake unless told otherwise. */
export async function testServer(
  overrides: Partial<GatewayServerOptions> = {},
): Promise<{ server: GatewayServer; clock: ManualClock; timers: ManualTimers }> {
  const clock = (overrides.clock as ManualClock | undefined) ?? new ManualClock();
  const timers = (overrides.timers as ManualTimers | undefined) ?? new ManualTimers(clock);
  const server = unwrapOrThrow(
    await startGatewayServer({
      auth: { kind: 'jwt', secret: TEST_SECRET },
      port: 0,
      lake: { kind: 'adapter', adapter: new MemoryAdapter({ clock }) },
      ...overrides,
      clock,
      timers,
    }),
  );
  return { server, clock, timers };
}

/** One client's deltas, stamped by its own HLC on `clock`, ids computed. */
export function writer(clientId: string, clock: ManualClock) {
  const hlc = new HLC(clock);
  return (rowId: string, values: Record<string, unknown>): RowDelta =>
    makeDelta({
      op: 'INSERT',
      table: 'todos',
      rowId,
      clientId,
      columns: Object.entries(values).map(([column, value]) => ({ column, value })),
      hlc: hlc.now(),
    });
}

/** An encoded push of `deltas` by `clientId`. */
export function pushBytes(clientId: string, deltas: readonly RowDelta[], baseHlc = 0n): Uint8Array {
  return encodeSyncPush({
    clientId,
    deltas,
    lastSeenHlc: HLC.ZERO,
    baseHlc: baseHlc as HLCTimestamp,
  });
}

/** An encoded pull from the start by `clientId`. */
export function pullBytes(clientId: string): Uint8Array {
  return encodeSyncPull({
    clientId,
    sinceHlc: HLC.ZERO,
    maxDeltas: 100,
    gatewayEpoch: HLC.ZERO,
    snapshotOffset: 0,
  });
}

/** What a raw HTTP exchange gave back: status, headers and the decoded `SyncResponse`. */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly reply: SyncResponse;
}

/** POSTs `body` to `url + path` and decodes the protobuf reply (which every route must send). */
export async function post(
  url: string,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': PROTOBUF, ...headers },
    body: body as Uint8Array<ArrayBuffer>,
  });
  expect(response.headers.get('content-type')).toBe(PROTOBUF);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    reply: unwrapOrThrow(decodeSyncResponse(bytes)),
  };
}

/** A lake whose writes all fail, so the gateway's buffer only grows (for backpressure). */
export function refusingLake(clock: ManualClock): LakeAdapter {
  const inner = new MemoryAdapter({ clock });
  return {
    putObject: async (path) => Err(new AdapterError(`injected put failure for ${path}`)),
    getObject: (path) => inner.getObject(path),
    headObject: (path) => inner.headObject(path),
    listObjects: (prefix) => inner.listObjects(prefix),
    deleteObject: (path) => inner.deleteObject(path),
    deleteObjects: (paths) => inner.deleteObjects(paths),
  };
}
