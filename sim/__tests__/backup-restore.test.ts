import { describe, expect, it } from 'vitest';
import type { RowDelta } from '../../src/delta/types';
import type { HLCTimestamp } from '../../src/hlc/types';
import type { QueueEntry } from '../../src/queue/types';
import { createPrng } from '../engine/prng';
import { drawFaultEvents } from '../faults/fault-events';
import { checkAppliedOnce } from '../oracles/applied-once';
import { runPlan } from '../scenario/run-plan';
import { WriteLedger } from '../scenario/write-ledger';
import { eventClient, keepClients } from '../shrink/plan-edits';
import type { Plan, PlanEvent } from '../types';
import { defaultSimConfig } from '../workload/sim-config';

let counter = 0;
/** A write of `client-<client>` to `todos:<rowId>` at `hlc`, with a fresh id. */
function write(client: number, rowId: string, hlc: number, title = `t${hlc}`): RowDelta {
  counter++;
  return {
    op: 'UPDATE',
    table: 'todos',
    rowId,
    clientId: `client-${client}`,
    hlc: BigInt(hlc) as HLCTimestamp,
    columns: [{ column: 'title', value: title }],
    deltaId: `id-${counter.toString(16).padStart(12, '0')}`,
  };
}

/** `delta` stamped again at `hlc` (the same write, a new id). */
function stampedAgain(delta: RowDelta, hlc: number): RowDelta {
  counter++;
  return {
    ...delta,
    hlc: BigInt(hlc) as HLCTimestamp,
    deltaId: `id-${counter.toString(16).padStart(12, '0')}`,
  };
}

function entry(delta: RowDelta, seq: number): QueueEntry {
  return { id: delta.deltaId, delta, status: 'pending', seq, retryCount: 0 };
}

describe('the applied-once oracle', () => {
  it('reports a write whose old and new stampings are both in the lake, and what it reverts', () => {
    const ledger = new WriteLedger();
    const first = write(0, 'r', 100, 'v1');
    const later = write(0, 'r', 200, 'v2');
    ledger.acknowledged(0, first, 1);
    ledger.acknowledged(0, later, 2);
    const again = stampedAgain(first, 300);
    expect(ledger.restamped(0, [first], [again], 3)).toBeNull();

    // The usual restamp (the old stamping was dropped as a duplicate): once, fine.
    expect(checkAppliedOnce([later, again], ledger)).toEqual([]);
    const messages = checkAppliedOnce([first, later, again, again], ledger);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/client-0 UPDATE todos:r hlc 0\.100\) is applied twice/);
    expect(messages[0]).toMatch(/reverts the writer's own later edit .*hlc 0\.200/);
  });

  it('exempts a restamp the client said was not exact (a snapshot since it opened)', () => {
    const ledger = new WriteLedger();
    const first = write(1, 'r', 100);
    ledger.acknowledged(1, first, 1);
    const again = stampedAgain(first, 300);
    ledger.restamped(1, [first], [again], 3);
    ledger.restampInexact(1);
    expect(checkAppliedOnce([first, again], ledger)).toEqual([]);
  });

  it('follows a write through two restamps', () => {
    const ledger = new WriteLedger();
    const first = write(2, 'r', 100);
    ledger.acknowledged(2, first, 1);
    const second = stampedAgain(first, 200);
    const third = stampedAgain(first, 300);
    ledger.restamped(2, [first], [second], 2);
    ledger.restamped(2, [second], [third], 3);
    expect(ledger.identityOf(third.deltaId)).toBe(first.deltaId);
    expect(checkAppliedOnce([second, third], ledger)).toHaveLength(1);
  });
});

describe('the write ledger on a restore from backup', () => {
  it('lets go of exactly the later writes the gateway never had', () => {
    const ledger = new WriteLedger();
    const [inBackup, reached, unsent] = [write(0, 'a', 1), write(0, 'b', 2), write(0, 'c', 3)];
    for (const delta of [inBackup, reached, unsent]) ledger.acknowledged(0, delta, 0);
    const lostOutbox = [entry(inBackup, 1), entry(reached, 2), entry(unsent, 3)];

    const gone = ledger.restored(0, [entry(inBackup, 1)], lostOutbox, new Set([reached.deltaId]));

    expect(gone).toBe(1);
    expect([...ledger.issued.keys()]).toEqual([inBackup.deltaId, reached.deltaId]);
    // May be lost, but if it reached the lake after all (a push in flight), it counts.
    expect(ledger.settleWiped([inBackup, reached])).toBe(1);
    expect(ledger.settleWiped([])).toBe(0);
  });

  it('counts a superseded stamping found in the lake as written, for durability and the model', () => {
    const ledger = new WriteLedger();
    const first = write(0, 'r', 100);
    ledger.acknowledged(0, first, 1);
    const again = stampedAgain(first, 300);
    ledger.restamped(0, [first], [again], 2);
    expect(ledger.stampedAgain([entry(first, 1)])).toBe(true);
    ledger.settleSuperseded([again]);
    expect(ledger.issued.has(first.deltaId)).toBe(false);
    ledger.settleSuperseded([first, again]);
    expect(ledger.issued.has(first.deltaId)).toBe(true);
  });
});

describe('backup-restore events', () => {
  it('are drawn only by the reincarnation profile, each crashing inside the fault phase', () => {
    const config = defaultSimConfig(3, { faultProfile: 'reincarnation' });
    let drawn = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const events = drawFaultEvents({ ...config, seed }, createPrng(seed, 'faults'));
      for (const event of events) {
        if (event.kind !== 'backup-restore') continue;
        drawn++;
        expect(event.atMs + event.restoreAfterMs).toBeLessThan(config.durationMs);
        const backMs = event.atMs + event.restoreAfterMs + event.downMs;
        expect(backMs + event.offlineMs).toBeLessThanOrEqual(Math.max(config.durationMs, backMs));
      }
      const everyday = defaultSimConfig(seed, { faultProfile: 'default' });
      const kinds = drawFaultEvents(everyday, createPrng(seed, 'faults')).map((e) => e.kind);
      expect(kinds).not.toContain('backup-restore');
    }
    expect(drawn).toBeGreaterThan(30);
  });

  it('shrink like every per-client event', () => {
    const event: PlanEvent = {
      kind: 'backup-restore',
      atMs: 5,
      client: 2,
      restoreAfterMs: 10,
      downMs: 1,
      offlineMs: 0,
    };
    expect(eventClient(event)).toBe(2);
    const plan: Plan = {
      version: 1,
      seed: 1,
      config: defaultSimConfig(1, { faultProfile: 'none', clients: 3 }),
      events: [event],
    };
    expect(keepClients(plan, new Set([2])).events).toEqual([{ ...event, client: 0 }]);
    expect(keepClients(plan, new Set([0, 1])).events).toEqual([]);
  });

  it('a run: the backup’s pending write, pushed and edited since, is kept once, not applied again', async () => {
    const config = defaultSimConfig(7, { faultProfile: 'none', clients: 2, durationMs: 20_000 });
    const set = (atMs: number, title: string): PlanEvent => ({
      kind: 'write',
      atMs,
      client: 0,
      op: 'update',
      table: 'todos',
      rowId: 'r',
      values: { title },
    });
    const plan: Plan = {
      version: 1,
      seed: 7,
      config,
      events: [
        set(1_000, 'v1'),
        {
          kind: 'backup-restore',
          atMs: 1_001,
          client: 0,
          restoreAfterMs: 8_000,
          downMs: 500,
          offlineMs: 0,
        },
        set(5_000, 'v2'),
        {
          kind: 'write',
          atMs: 12_000,
          client: 1,
          op: 'insert',
          table: 'notes',
          rowId: 'n',
          values: { note: 'x' },
        },
      ],
    };

    const result = await runPlan(plan);

    expect(result.violations).toEqual([]);
    const kinds = result.timeline.filter((row) => row.lane === 'client-0').map((row) => row.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['backup-taken', 'backup-restore', 'client-id-reused']),
    );
    const notice = result.timeline.find((row) => row.kind === 'client-id-reused');
    expect(notice?.detail).toMatch(/1 write\(s\) the gateway already holds .* kept as they were/);
    expect(result.coverage['backup-restore']).toEqual({ fault: 1, heal: 0 });
  });
});
