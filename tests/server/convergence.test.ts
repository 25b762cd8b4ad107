import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayServer, startGatewayServer } from '../../server/start';
import { HttpTransport } from '../../src/client/http-transport';
import { SyncClient } from '../../src/client/sync-client';
import { mergeIntoStates } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { RowKey } from '../../src/delta/types';
import { decodeEnvelope, ENVELOPE_PREFIX } from '../../src/gateway/envelope';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { MemoryQueue } from '../../src/queue/memory-queue';
import { unwrapOrThrow } from '../../src/result/result';
import { plain, visibleRows } from '../integration/helpers';
import { TEST_SECRET } from './helpers';

/**
 * Many SyncClients over HttpTransport against one gateway server on loopback, its lake in the
 * embedded S3 server kept in a directory. Manual time: rounds and flushes are driven explicitly.
 */
const CLIENTS = 50;
const ROWS_PER_CLIENT = 4;

let directory = '';
let server: GatewayServer | null = null;
afterEach(async () => {
  await server?.close({ flush: false });
  server = null;
  if (directory !== '') await rm(directory, { recursive: true, force: true });
  directory = '';
});

async function world() {
  directory = await mkdtemp(join(tmpdir(), 'lakesync-server-'));
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const start = async (port: number) =>
    unwrapOrThrow(
      await startGatewayServer({
        auth: { kind: 'jwt', secret: TEST_SECRET },
        port,
        lake: { kind: 'embedded', directory },
        gatewayId: 'gw-http',
        clock,
        timers,
      }),
    );
  server = await start(0);
  const port = server.port;
  const clients: SyncClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const clientId = `client-${i}`;
    const token = await server.issueToken(clientId);
    const transport = new HttpTransport({
      baseUrl: () => server?.url ?? 'http://127.0.0.1:1',
      timers,
      token: () => token,
    });
    clients.push(
      unwrapOrThrow(
        await SyncClient.open({ clientId, clock, timers, transport, queue: new MemoryQueue() }),
      ),
    );
  }
  const syncAll = async () => {
    const results = await Promise.all(clients.map((client) => client.syncOnce()));
    return results
      .filter((result) => !result.ok)
      .map((result) => (result.ok ? '' : result.error.code));
  };
  const flush = async () => {
    while (server !== null && server.gateway.stats().unflushedDeltas > 0)
      unwrapOrThrow(await server.gateway.flush());
  };
  const restart = async () => {
    await server?.close({ flush: false }); // a crash: unflushed deltas are lost with the memory
    server = await start(port);
  };
  return { clock, clients, syncAll, flush, restart, server: () => server as GatewayServer };
}

/** Rows folded from every envelope in the lake, and every deltaId found there (duplicates kept). */
async function readLake(target: GatewayServer) {
  const states = new Map<RowKey, RowState>();
  const ids: string[] = [];
  for (const object of unwrapOrThrow(await target.adapter.listObjects(ENVELOPE_PREFIX))) {
    const envelope = unwrapOrThrow(
      decodeEnvelope(unwrapOrThrow(await target.adapter.getObject(object.key))),
    );
    for (const delta of envelope.deltas) {
      mergeIntoStates(states, delta);
      ids.push(delta.deltaId);
    }
  }
  return { rows: visibleRows(states), ids };
}

describe('gateway server over HTTP', () => {
  it(`${CLIENTS} concurrent clients converge, and the lake holds the same rows`, async () => {
    const { clock, clients, syncAll, flush, server } = await world();
    const written: string[] = [];
    for (const [n, client] of clients.entries()) {
      for (let row = 0; row < ROWS_PER_CLIENT; row++) {
        written.push(
          unwrapOrThrow(await client.insert('todos', `c${n}-r${row}`, { n, row })).deltaId,
        );
      }
      // Everyone edits one shared row: column-level LWW must pick the same winner everywhere.
      written.push(
        unwrapOrThrow(await client.insert('todos', 'shared', { [`col${n % 5}`]: n })).deltaId,
      );
    }
    expect(await syncAll()).toEqual([]);
    await flush();
    clock.advance(10);
    expect(await syncAll()).toEqual([]);
    const expected = plain(clients[0]!.rows());
    expect(Object.keys(expected)).toHaveLength(CLIENTS * ROWS_PER_CLIENT + 1);
    for (const client of clients) expect(plain(client.rows())).toEqual(expected);
    const lake = await readLake(server());
    expect(plain(lake.rows)).toEqual(expected);
    expect([...lake.ids].sort()).toEqual([...written].sort());
    for (const client of clients)
      expect(unwrapOrThrow(await client.syncOnce()).outboxDepth).toBe(0);
  });

  it('a gateway crash and restart mid-run loses nothing acknowledged', async () => {
    const { clock, clients, syncAll, flush, restart, server } = await world();
    const written: string[] = [];
    const writeRound = async (round: number) => {
      for (const [n, client] of clients.entries()) {
        written.push(
          unwrapOrThrow(await client.insert('todos', `c${n}-round${round}`, { round })).deltaId,
        );
      }
    };
    await writeRound(0);
    expect(await syncAll()).toEqual([]);
    await flush(); // round 0 is durable
    clock.advance(10);
    await writeRound(1);
    expect(await syncAll()).toEqual([]); // round 1 acknowledged, not flushed
    expect(server().gateway.stats().unflushedDeltas).toBe(CLIENTS);
    await restart();
    expect(server().gateway.stats().recoveredDeltas).toBe(CLIENTS);
    clock.advance(10);
    await writeRound(2);
    // The first round after the restart meets SEQUENCE_GAP and re-pushes; a second one settles.
    for (let round = 0; round < 3; round++) await syncAll();
    const metrics = await (await fetch(`${server().url}/metrics`)).text();
    expect(metrics).toMatch(/lakesync_rejections_total\{code="SEQUENCE_GAP"\} [1-9]/);
    await flush();
    clock.advance(10);
    expect(await syncAll()).toEqual([]);
    const expected = plain(clients[0]!.rows());
    expect(Object.keys(expected)).toHaveLength(CLIENTS * 3);
    for (const client of clients) expect(plain(client.rows())).toEqual(expected);
    const lake = await readLake(server());
    expect(plain(lake.rows)).toEqual(expected);
    expect([...lake.ids].sort()).toEqual([...written].sort());
  });
});
