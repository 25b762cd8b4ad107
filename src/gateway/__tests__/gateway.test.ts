import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import { materialise } from '../../conflict/row-state';
import { makeDelta } from '../../delta/delta-id';
import { rowKey } from '../../delta/row-key';
import { HLC } from '../../hlc/hlc';
import type { HLCTimestamp } from '../../hlc/types';
import { ManualClock } from '../../ports/manual';
import { ClockDriftError } from '../../result/errors';
import { unwrapOrThrow } from '../../result/result';
import { deltaWriter, FlakyAdapter, gatewayWorld, pushOf } from './fixtures';

const pull = (clientId: string, sinceHlc: bigint, maxDeltas = 100, gatewayEpoch = 0n) => ({
  clientId,
  sinceHlc: sinceHlc as HLCTimestamp,
  maxDeltas,
  gatewayEpoch: gatewayEpoch as HLCTimestamp,
  snapshotOffset: 0,
});

describe('SyncGateway push and pull', () => {
  it('logs and indexes a pushed delta', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const delta = write('INSERT', 'r1', { title: 'milk' });
    const response = unwrapOrThrow(gateway.handlePush(pushOf([delta])));
    expect(response.error).toBeNull();
    expect(response.clientAcceptedHlc).toBe(delta.hlc);
    expect(gateway.log().map((entry) => entry.delta.deltaId)).toEqual([delta.deltaId]);
    const state = gateway.index().get(rowKey('todos', 'r1'));
    expect(state && materialise(state)).toEqual({ title: 'milk' });
  });

  it('returns pushed deltas to a pull, and filters by ingest cursor', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const first = write('INSERT', 'r1', { title: 'a' });
    unwrapOrThrow(gateway.handlePush(pushOf([first])));
    const page1 = unwrapOrThrow(gateway.handlePull(pull('bob', 0n)));
    expect(page1.deltas.map((d) => d.deltaId)).toEqual([first.deltaId]);
    const second = write('UPDATE', 'r1', { title: 'b' });
    unwrapOrThrow(gateway.handlePush(pushOf([second], first.hlc)));
    const page2 = unwrapOrThrow(
      gateway.handlePull(pull('bob', page1.cursor, 100, page1.gatewayEpoch)),
    );
    expect(page2.deltas.map((d) => d.deltaId)).toEqual([second.deltaId]);
    expect(page2.cursor > page1.cursor).toBe(true);
  });

  it('paginates pulls with hasMore', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const deltas = Array.from({ length: 5 }, (_, i) => write('INSERT', `r${i}`, { n: i }));
    unwrapOrThrow(gateway.handlePush(pushOf(deltas)));
    const seen: string[] = [];
    let cursor = 0n;
    let epoch = 0n;
    let pages = 0;
    for (;;) {
      const page = unwrapOrThrow(gateway.handlePull(pull('bob', cursor, 2, epoch)));
      pages++;
      seen.push(...page.deltas.map((d) => d.deltaId));
      cursor = page.cursor;
      epoch = page.gatewayEpoch;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(deltas.map((d) => d.deltaId));
  });

  it('delivers a late delta with an old HLC to a puller whose cursor is past it', async () => {
    const { gateway, clock } = await gatewayWorld();
    const late = deltaWriter('offline', clock)('INSERT', 'r1', { title: 'old' });
    clock.advance(60_000);
    unwrapOrThrow(
      gateway.handlePush(pushOf([deltaWriter('alice', clock)('INSERT', 'r2', { title: 'new' })])),
    );
    const caughtUp = unwrapOrThrow(gateway.handlePull(pull('bob', 0n)));
    unwrapOrThrow(gateway.handlePush(pushOf([late])));
    const next = unwrapOrThrow(
      gateway.handlePull(pull('bob', caughtUp.cursor, 100, caughtUp.gatewayEpoch)),
    );
    expect(next.deltas.map((d) => d.deltaId)).toEqual([late.deltaId]);
  });

  it('refuses a delta more than 5 s ahead of the gateway wall clock, applying nothing', async () => {
    const { gateway, clock } = await gatewayWorld();
    const fast = { now: () => clock.now() + 6_000 };
    const hlc = new HLC(fast);
    const ok = deltaWriter('alice', clock)('INSERT', 'r0', { a: 1 });
    const ahead = makeDelta({
      op: 'INSERT',
      table: 'todos',
      rowId: 'r1',
      clientId: 'alice',
      columns: [{ column: 'a', value: 1 }],
      hlc: hlc.now(),
    });
    const result = gateway.handlePush(pushOf([ok, ahead]));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error instanceof ClockDriftError).toBe(true);
    expect(gateway.log()).toHaveLength(0);
  });

  it('measures drift from its highest wall reading, so a clock stepped back does not refuse what it taught', async () => {
    const { gateway, clock } = await gatewayWorld();
    const start = clock.now();
    clock.set(start + 3_600_000); // the gateway's clock jumps an hour ahead…
    const taught = unwrapOrThrow(gateway.handlePull(pull('alice', 0n))).serverHlc;
    clock.set(start); // …and is stepped back
    const aliceClock = new HLC(clock);
    aliceClock.observe(taught); // the client absorbed the gateway's HLC (ADR-013)
    const write = (rowId: string, hlc: HLCTimestamp) =>
      makeDelta({
        op: 'INSERT',
        table: 'todos',
        rowId,
        clientId: 'alice',
        columns: [{ column: 'a', value: 1 }],
        hlc,
      });
    const absorbed = write('r1', aliceClock.now());
    expect(unwrapOrThrow(gateway.handlePush(pushOf([absorbed]))).error).toBeNull();
    const farAhead = write('r2', HLC.encode(start + 3_600_000 + 6_000, 0));
    const refused = gateway.handlePush(pushOf([farAhead], absorbed.hlc));
    expect(!refused.ok && refused.error instanceof ClockDriftError).toBe(true);
  });

  it('merges concurrent updates per column in the index and logs both events', async () => {
    const { gateway, clock } = await gatewayWorld();
    const alice = deltaWriter('alice', clock);
    const bob = deltaWriter('bob', clock);
    const insert = alice('INSERT', 'r1', { title: 'x', done: false });
    unwrapOrThrow(gateway.handlePush(pushOf([insert])));
    clock.advance(1);
    const a = alice('UPDATE', 'r1', { title: 'alice' });
    const b = bob('UPDATE', 'r1', { done: true });
    unwrapOrThrow(gateway.handlePush(pushOf([b])));
    unwrapOrThrow(gateway.handlePush(pushOf([a], insert.hlc)));
    const state = gateway.index().get(rowKey('todos', 'r1'));
    expect(state && materialise(state)).toEqual({ title: 'alice', done: true });
    expect(gateway.log()).toHaveLength(3);
  });

  it('advances its HLC on every push', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const r1 = unwrapOrThrow(gateway.handlePush(pushOf([write('INSERT', 'r1', { a: 1 })])));
    const r2 = unwrapOrThrow(
      gateway.handlePush(pushOf([write('INSERT', 'r2', { a: 1 })], r1.clientAcceptedHlc)),
    );
    expect(r2.serverHlc > r1.serverHlc).toBe(true);
    const [e1, e2] = gateway.log();
    expect(e1 && e2 && e2.ingestHlc > e1.ingestHlc).toBe(true);
  });
});

describe('SyncGateway idempotency and validation', () => {
  it('acknowledges a re-push of any accepted delta without logging it again', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const older = write('INSERT', 'r1', { v: 1 });
    const newer = write('UPDATE', 'r1', { v: 2 });
    unwrapOrThrow(gateway.handlePush(pushOf([older, newer])));
    const again = unwrapOrThrow(gateway.handlePush(pushOf([older])));
    expect(again.error).toBeNull();
    expect(gateway.log()).toHaveLength(2);
    expect(gateway.stats().duplicatesIgnored).toBe(1);
    const state = gateway.index().get(rowKey('todos', 'r1'));
    expect(state && materialise(state)).toEqual({ v: 2 });
  });

  it('drops a push with a forged deltaId before any pull, snapshot or flush sees it', async () => {
    const { gateway, clock, lake } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const real = write('INSERT', 'r1', { v: 1 });
    const forged = { ...real, columns: [{ column: 'v', value: 666 }] };
    // The id is verified off the acknowledgement path (ADR-016): the push is acknowledged...
    const acked = unwrapOrThrow(gateway.handlePush(pushOf([forged])));
    expect(acked.clientAcceptedHlc).toBe(forged.hlc);
    // ...but a pull from anyone verifies it first, and nothing forged is served or logged.
    const seen = unwrapOrThrow(gateway.handlePull(pull('bob', 0n)));
    expect(seen.deltas).toEqual([]);
    expect(gateway.log()).toHaveLength(0);
    expect(gateway.index().size).toBe(0);
    expect(gateway.stats().forgedPushesDropped).toBe(1);
    await gateway.flush();
    expect(gateway.stats().envelopesWritten).toBe(0);
    expect(unwrapOrThrow(await lake.listObjects(''))).toEqual([]);
    // The forger's next request is refused, naming the id, with its watermark rolled back.
    const next = gateway.handlePush(pushOf([write('UPDATE', 'r1', { v: 2 })], forged.hlc));
    expect(!next.ok && next.error.code).toBe('SCHEMA_MISMATCH');
    expect(!next.ok && next.error.message).toMatch(/deltaId/);
    expect(gateway.errorResponse('alice', new ClockDriftError('x')).clientAcceptedHlc).toBe(0n);
  });

  it('drops the later pending pushes of a forger and keeps other clients pushes', async () => {
    const { gateway, clock } = await gatewayWorld();
    const alice = deltaWriter('alice', clock);
    const bob = deltaWriter('bob', clock);
    const good = alice('INSERT', 'r1', { v: 1 });
    const real = alice('INSERT', 'r2', { v: 2 });
    const forged = { ...real, columns: [{ column: 'v', value: 666 }] };
    const after = alice('INSERT', 'r3', { v: 3 });
    const other = bob('INSERT', 'r4', { v: 4 });
    unwrapOrThrow(gateway.handlePush(pushOf([good])));
    unwrapOrThrow(gateway.handlePush(pushOf([forged], good.hlc)));
    unwrapOrThrow(gateway.handlePush({ ...pushOf([other]), clientId: 'bob' }));
    unwrapOrThrow(gateway.handlePush(pushOf([after], forged.hlc)));
    expect(gateway.log().map((entry) => entry.delta.deltaId)).toEqual([
      good.deltaId,
      other.deltaId,
    ]);
    const refused = gateway.handlePull(pull('alice', 0n));
    expect(!refused.ok && refused.error.message).toMatch(/push delta 0: .*deltaId/);
    expect(unwrapOrThrow(gateway.handlePull(pull('alice', 0n))).clientAcceptedHlc).toBe(good.hlc);
  });

  it('refuses deltas of another client and batches over pushBatchMax, applying nothing', async () => {
    const { gateway, clock } = await gatewayWorld({ pushBatchMax: 2 });
    const alice = deltaWriter('alice', clock);
    const mallory = deltaWriter('mallory', clock)('INSERT', 'r9', { v: 1 });
    const mixed = gateway.handlePush({
      ...pushOf([alice('INSERT', 'r1', { v: 1 }), mallory]),
      clientId: 'alice',
    });
    expect(!mixed.ok && mixed.error.message).toMatch(/belongs to client/);
    const big = gateway.handlePush(
      pushOf([1, 2, 3].map((i) => alice('INSERT', `r${i}`, { v: i }))),
    );
    expect(!big.ok && big.error.message).toMatch(/pushBatchMax 2/);
    expect(gateway.log()).toHaveLength(0);
  });

  it('refuses a push that does not follow on from what it holds (SEQUENCE_GAP)', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const lost = write('INSERT', 'r1', { v: 1 });
    const next = write('INSERT', 'r2', { v: 2 });
    const result = gateway.handlePush(pushOf([next], lost.hlc));
    expect(!result.ok && result.error.code).toBe('SEQUENCE_GAP');
    expect(gateway.log()).toHaveLength(0);
    unwrapOrThrow(gateway.handlePush(pushOf([lost, next])));
    expect(gateway.log()).toHaveLength(2);
  });

  it('applies backpressure over bufferBytesMax while flushes fail, keeping what it accepted', async () => {
    const clock = new ManualClock();
    const flaky = new FlakyAdapter(new MemoryAdapter({ clock }));
    flaky.failNextPuts = 1_000;
    const { gateway, timers } = await gatewayWorld(
      { bufferBytesMax: 600, flushBytesThreshold: 200, retryDelayMsMin: 100 },
      flaky,
    );
    const write = deltaWriter('alice', clock);
    let accepted = 0;
    let refusal = '';
    let base = 0n;
    for (let i = 0; i < 20 && refusal === ''; i++) {
      const delta = write('INSERT', `r${i}`, { title: 'x'.repeat(40) });
      const result = gateway.handlePush(pushOf([delta], base));
      await timers.advance(10); // flush attempts by size run, and fail
      if (result.ok) {
        accepted++;
        base = delta.hlc;
      } else refusal = result.error.code;
    }
    expect(refusal).toBe('BACKPRESSURE');
    expect(gateway.stats().flushesFailed).toBeGreaterThan(0);
    expect(gateway.log()).toHaveLength(accepted);
    expect(gateway.stats().unflushedBytes).toBeLessThanOrEqual(600);
    // Once the lake answers again, everything accepted lands and pushes are taken again.
    flaky.failNextPuts = 0;
    await timers.advance(60_000);
    expect(gateway.stats().unflushedDeltas).toBe(0);
    expect(gateway.handlePush(pushOf([write('INSERT', 'late', { title: 'y' })], base)).ok).toBe(
      true,
    );
  });
});

describe('SyncGateway snapshots', () => {
  it('serves a row changed since the last snapshot with its new state, not a cached one', async () => {
    const { gateway, clock } = await gatewayWorld();
    const write = deltaWriter('alice', clock);
    const first = write('INSERT', 'r1', { title: 'a' });
    unwrapOrThrow(gateway.handlePush(pushOf([first])));
    const foreign = (sinceHlc: bigint) => pull('bob', sinceHlc, 100, 12345n);
    const before = unwrapOrThrow(gateway.handlePull(foreign(1n)));
    expect(before.snapshot).toBe(true);
    expect(before.deltas.map((d) => d.deltaId)).toEqual([first.deltaId]);
    const again = unwrapOrThrow(gateway.handlePull(foreign(1n)));
    expect(again.deltas).toEqual(before.deltas);
    const second = write('UPDATE', 'r1', { title: 'b' });
    unwrapOrThrow(gateway.handlePush(pushOf([second], first.hlc)));
    const after = unwrapOrThrow(gateway.handlePull(foreign(1n)));
    expect(after.deltas.map((d) => d.deltaId)).toEqual([second.deltaId]);
  });
});
