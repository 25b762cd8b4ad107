import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import { materialise } from '../../conflict/row-state';
import { rowKey } from '../../delta/row-key';
import type { HLCTimestamp } from '../../hlc/types';
import { ManualClock } from '../../ports/manual';
import { unwrapOrThrow } from '../../result/result';
import { decodeEnvelope, ENVELOPE_PREFIX } from '../envelope';
import { SyncGateway } from '../gateway';
import { deltaWriter, FlakyAdapter, gatewayWorld, pushOf } from './fixtures';

const KEY_PATTERN = /^deltas\/\d{4}-\d{2}-\d{2}\/gw-1\/\d{20}-\d{20}\.json$/;

async function lakeKeys(lake: {
  listObjects(prefix: string): Promise<{ ok: boolean; value?: { key: string }[] }>;
}) {
  const listed = await lake.listObjects(ENVELOPE_PREFIX);
  return (listed.value ?? []).map((object) => object.key);
}

describe('flush', () => {
  it('writes a versioned envelope at the documented key and reports it durable', async () => {
    const { gateway, clock, lake } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const deltas = [write('INSERT', 'r1', { a: 1 }), write('UPDATE', 'r1', { a: 2 })];
    unwrapOrThrow(gateway.handlePush(pushOf(deltas)));
    const outcome = unwrapOrThrow(await gateway.flush());
    expect(outcome.deltaCount).toBe(2);
    expect(outcome.key).toMatch(KEY_PATTERN);
    const envelope = unwrapOrThrow(
      decodeEnvelope(unwrapOrThrow(await lake.getObject(outcome.key!))),
    );
    expect(envelope.version).toBe(1);
    expect(envelope.gatewayId).toBe('gw-1');
    expect(envelope.deltas.map((d) => d.deltaId)).toEqual(deltas.map((d) => d.deltaId));
    const pulled = unwrapOrThrow(
      gateway.handlePull({
        clientId: 'alice',
        sinceHlc: 0n as HLCTimestamp,
        maxDeltas: 10,
        gatewayEpoch: gateway.epoch,
        snapshotOffset: 0,
      }),
    );
    expect(pulled.clientDurableHlc).toBe(deltas[1]!.hlc);
    // The index survives a flush: conflict resolution still sees the row.
    const state = gateway.index().get(rowKey('todos', 'r1'));
    expect(state && materialise(state)).toEqual({ a: 2 });
  });

  it('flushes by size without being asked, never per push', async () => {
    const { gateway, clock, timers, lake } = await gatewayWorld({
      flushBytesThreshold: 1_000,
      flushAgeMs: 3_600_000,
    });
    const write = deltaWriter('alice', clock);
    let base = 0n;
    for (let i = 0; i < 3; i++) {
      const delta = write('INSERT', `r${i}`, { a: i });
      unwrapOrThrow(gateway.handlePush(pushOf([delta], base)));
      base = delta.hlc;
    }
    await timers.runDue();
    expect(await lakeKeys(lake)).toHaveLength(0);
    for (let i = 3; i < 12; i++) {
      const delta = write('INSERT', `r${i}`, { a: 'x'.repeat(50) });
      unwrapOrThrow(gateway.handlePush(pushOf([delta], base)));
      base = delta.hlc;
    }
    await timers.runDue();
    expect((await lakeKeys(lake)).length).toBeGreaterThanOrEqual(1);
    expect(gateway.stats().unflushedBytes).toBeLessThan(1_000);
  });

  it('flushes by age', async () => {
    const { gateway, clock, timers, lake } = await gatewayWorld({ flushAgeMs: 30_000 });
    unwrapOrThrow(
      gateway.handlePush(pushOf([deltaWriter('alice', clock)('INSERT', 'r1', { a: 1 })])),
    );
    await timers.advance(29_000);
    expect(await lakeKeys(lake)).toHaveLength(0);
    await timers.advance(1_000);
    expect(await lakeKeys(lake)).toHaveLength(1);
    expect(gateway.stats().unflushedDeltas).toBe(0);
  });

  it('keeps everything on failure and retries with growing backoff until it lands', async () => {
    const clock = new ManualClock();
    const flaky = new FlakyAdapter(new MemoryAdapter({ clock }));
    const { gateway, timers } = await gatewayWorld(
      { retryDelayMsMin: 100, retryDelayMsMax: 1_000 },
      flaky,
    );
    unwrapOrThrow(
      gateway.handlePush(pushOf([deltaWriter('alice', clock)('INSERT', 'r1', { a: 1 })])),
    );
    flaky.failNextPuts = 3;
    const first = await gateway.flush();
    expect(first.ok).toBe(false);
    expect(gateway.stats().unflushedDeltas).toBe(1);
    expect(gateway.log()).toHaveLength(1);
    await timers.advance(100); // retry 1 fails
    await timers.advance(200); // retry 2 fails
    expect(flaky.puts).toBe(3);
    await timers.advance(399);
    expect(flaky.puts).toBe(3);
    await timers.advance(1); // retry 3 after 400 ms lands
    expect(flaky.puts).toBe(4);
    expect(gateway.stats().unflushedDeltas).toBe(0);
    expect(gateway.stats().flushesFailed).toBe(3);
  });

  it('writes one object, not two, when a write landed but its reply was lost', async () => {
    const clock = new ManualClock();
    const flaky = new FlakyAdapter(new MemoryAdapter({ clock }));
    const { gateway, timers } = await gatewayWorld({ retryDelayMsMin: 100 }, flaky);
    const write = deltaWriter('alice', clock);
    const first = write('INSERT', 'r1', { a: 1 });
    unwrapOrThrow(gateway.handlePush(pushOf([first])));
    flaky.loseNextReplies = 1;
    expect((await gateway.flush()).ok).toBe(false);
    // More deltas arrive before the retry; they must not join the pinned envelope.
    unwrapOrThrow(gateway.handlePush(pushOf([write('INSERT', 'r2', { a: 2 })], first.hlc)));
    await timers.advance(100);
    unwrapOrThrow(await gateway.flush());
    const keys = await lakeKeys(flaky);
    const ids: string[] = [];
    for (const key of keys) {
      const envelope = unwrapOrThrow(decodeEnvelope(unwrapOrThrow(await flaky.getObject(key))));
      ids.push(...envelope.deltas.map((d) => d.deltaId));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2);
  });

  it('answers a cursor older than the retained log with a snapshot that converges', async () => {
    const { gateway, clock } = await gatewayWorld({ logRetainMax: 1 });
    const write = deltaWriter('alice', clock);
    const deltas = [
      write('INSERT', 'r1', { a: 1 }),
      write('INSERT', 'r2', { a: 2 }),
      write('DELETE', 'r1'),
    ];
    unwrapOrThrow(gateway.handlePush(pushOf(deltas)));
    unwrapOrThrow(await gateway.flush());
    expect(gateway.log()).toHaveLength(1);
    const snapshot = unwrapOrThrow(
      gateway.handlePull({
        clientId: 'bob',
        sinceHlc: 0n as HLCTimestamp,
        maxDeltas: 10,
        gatewayEpoch: 0n as HLCTimestamp,
        snapshotOffset: 0,
      }),
    );
    expect(snapshot.snapshot).toBe(true);
    expect(gateway.stats().snapshotsServed).toBe(1);
    const next = unwrapOrThrow(
      gateway.handlePull({
        clientId: 'bob',
        sinceHlc: snapshot.cursor,
        maxDeltas: 10,
        gatewayEpoch: snapshot.gatewayEpoch,
        snapshotOffset: 0,
      }),
    );
    expect(next.snapshot).toBe(false);
    expect(next.deltas).toHaveLength(0);
  });
});

describe('paginated snapshots', () => {
  it('pages a snapshot by rows, and a write made meanwhile still arrives through the log', async () => {
    const { gateway, clock } = await gatewayWorld({ logRetainMax: 1, pullDeltasMax: 3 });
    const write = deltaWriter('alice', clock);
    const inserts = Array.from({ length: 10 }, (_, i) => write('INSERT', `r${i}`, { n: i }));
    unwrapOrThrow(gateway.handlePush(pushOf(inserts)));
    unwrapOrThrow(await gateway.flush());
    const seen = new Set<string>();
    let cursor = 0n as HLCTimestamp;
    let epoch = 0n as HLCTimestamp;
    let offset = 0;
    let pages = 0;
    let base = inserts[9]!.hlc;
    for (;;) {
      const page = unwrapOrThrow(
        gateway.handlePull({
          clientId: 'bob',
          sinceHlc: cursor,
          maxDeltas: 100,
          gatewayEpoch: epoch,
          snapshotOffset: offset,
        }),
      );
      pages++;
      expect(page.snapshot).toBe(true);
      expect(page.deltas.length).toBeLessThanOrEqual(3);
      for (const delta of page.deltas) seen.add(delta.rowId);
      cursor = page.cursor;
      epoch = page.gatewayEpoch;
      offset = page.hasMore ? page.snapshotNext : 0;
      if (pages === 1) {
        // r0 changes after its page was served: it must come through the log after the cursor.
        const late = write('UPDATE', 'r0', { n: 100 });
        unwrapOrThrow(gateway.handlePush(pushOf([late], base)));
        base = late.hlc;
      }
      if (!page.hasMore) break;
    }
    expect(pages).toBe(4);
    expect(seen.size).toBe(10);
    expect(gateway.stats().snapshotsServed).toBe(1);
    const tail = unwrapOrThrow(
      gateway.handlePull({
        clientId: 'bob',
        sinceHlc: cursor,
        maxDeltas: 100,
        gatewayEpoch: epoch,
        snapshotOffset: 0,
      }),
    );
    expect(tail.snapshot).toBe(false);
    expect(tail.deltas.map((delta) => delta.rowId)).toEqual(['r0']);
  });
});

describe('restart', () => {
  it('recovers index and watermarks from the lake and dedupes re-pushes', async () => {
    const clock = new ManualClock();
    const lake = new MemoryAdapter({ clock });
    const { gateway } = await gatewayWorld({}, lake);
    const write = deltaWriter('alice', clock);
    const durable = [write('INSERT', 'r1', { a: 1 }), write('UPDATE', 'r1', { b: 2 })];
    unwrapOrThrow(gateway.handlePush(pushOf(durable)));
    unwrapOrThrow(await gateway.flush());
    const volatile = write('UPDATE', 'r1', { a: 3 });
    unwrapOrThrow(gateway.handlePush(pushOf([volatile], durable[1]!.hlc)));
    gateway.close();

    const restarted = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: 'gw-1',
        clock,
        timers: { schedule: () => 0 as never, cancel: () => {} },
        adapter: lake,
      }),
    );
    expect(restarted.epoch > gateway.epoch).toBe(true);
    const state = restarted.index().get(rowKey('todos', 'r1'));
    expect(state && materialise(state)).toEqual({ a: 1, b: 2 });
    // The client re-pushes everything not durable; the durable prefix is absorbed.
    const resumed = restarted.handlePush(pushOf([volatile], durable[1]!.hlc));
    expect(resumed.ok).toBe(true);
    const again = unwrapOrThrow(restarted.handlePush(pushOf([...durable, volatile])));
    expect(again.clientAcceptedHlc).toBe(volatile.hlc);
    expect(restarted.log().map((entry) => entry.delta.deltaId)).toEqual([volatile.deltaId]);
    // A cursor from the old epoch gets a snapshot.
    const pulled = unwrapOrThrow(
      restarted.handlePull({
        clientId: 'bob',
        sinceHlc: 5n as HLCTimestamp,
        maxDeltas: 10,
        gatewayEpoch: gateway.epoch,
        snapshotOffset: 0,
      }),
    );
    expect(pulled.snapshot).toBe(true);
  });

  it('retries a failed envelope read during recovery, and names the envelope when it keeps failing', async () => {
    const clock = new ManualClock();
    const flaky = new FlakyAdapter(new MemoryAdapter({ clock }));
    const { gateway } = await gatewayWorld({}, flaky);
    const write = deltaWriter('alice', clock);
    unwrapOrThrow(gateway.handlePush(pushOf([write('INSERT', 'r1', { a: 1 })])));
    const written = unwrapOrThrow(await gateway.flush());
    gateway.close();
    const open = () =>
      SyncGateway.open({
        gatewayId: 'gw-1',
        clock,
        timers: { schedule: () => 0 as never, cancel: () => {} },
        adapter: flaky,
      });
    flaky.failNextGets = 2;
    const recovered = unwrapOrThrow(await open());
    expect(recovered.stats().recoveredDeltas).toBe(1);
    flaky.failNextGets = 3;
    const failed = await open();
    expect(!failed.ok && failed.error.message).toContain(written.key!);
  });

  it('refuses to start from a corrupt envelope, naming it', async () => {
    const clock = new ManualClock();
    const lake = new MemoryAdapter({ clock });
    const key = `deltas/2026-11-25/gw-1/${'1'.padStart(20, '0')}-${'2'.padStart(20, '0')}.json`;
    unwrapOrThrow(await lake.putObject(key, new TextEncoder().encode('{"version":1, nope')));
    const opened = await SyncGateway.open({
      gatewayId: 'gw-1',
      clock,
      timers: { schedule: () => 0 as never, cancel: () => {} },
      adapter: lake,
    });
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.error.message).toContain(key);
  });

  it('refuses a gatewayId with path characters', async () => {
    const clock = new ManualClock();
    const opened = await SyncGateway.open({
      gatewayId: '../etc',
      clock,
      timers: { schedule: () => 0 as never, cancel: () => {} },
      adapter: new MemoryAdapter({ clock }),
    });
    expect(opened.ok).toBe(false);
  });
});
