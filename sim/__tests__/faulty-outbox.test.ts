import { describe, expect, it } from 'vitest';
import { makeDelta } from '../../src/delta/delta-id';
import { HLC } from '../../src/hlc/hlc';
import { MemoryQueue } from '../../src/queue/memory-queue';
import { createPrng } from '../engine/prng';
import { Scheduler } from '../engine/scheduler';
import type { FaultKind } from '../world/fault-sink';
import { FaultyOutbox } from '../world/faulty-outbox';

const delta = (n: number) =>
  makeDelta({
    op: 'INSERT',
    table: 'todos',
    rowId: `r${n}`,
    clientId: 'client-0',
    columns: [{ column: 'title', value: `t${n}` }],
    hlc: HLC.encode(1_700_000_000_000 + n, 0),
  });

function outbox(failProbability: number, latencyMsMax: number) {
  const scheduler = new Scheduler();
  const inner = new MemoryQueue();
  const faults: { kind: FaultKind; detail: string }[] = [];
  const faulty = new FaultyOutbox(inner, {
    prng: createPrng(7, 'outbox/client-0'),
    failProbability,
    latencyMsMax,
    scheduler,
    lane: 'client-0',
    onFault: (kind, _lane, detail) => faults.push({ kind, detail }),
  });
  return { scheduler, inner, faulty, faults };
}

describe('FaultyOutbox (a client outbox whose storage fails and lags)', () => {
  it('takes calls in the order they were made, whatever latency each one drew', async () => {
    const { scheduler, inner, faulty } = outbox(0, 50);
    const answered: number[] = [];
    const pushes = [0, 1, 2, 3, 4, 5, 6, 7].map((n) =>
      faulty.push(delta(n)).then((result) => {
        expect(result.ok).toBe(true);
        answered.push(n);
      }),
    );
    expect((await inner.depth()).ok && answered).toEqual([]); // nothing has taken effect yet
    await scheduler.runUntil(1_000);
    await Promise.all(pushes);
    expect(answered).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const entries = await inner.entries();
    expect(entries.ok && entries.value.map((entry) => entry.delta.rowId)).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
    ]);
  });

  it('fails calls atomically: a failed push leaves nothing behind and is reported', async () => {
    const { inner, faulty, faults } = outbox(1, 0);
    const pushed = await faulty.push(delta(1));
    expect(pushed.ok).toBe(false);
    if (!pushed.ok) expect(pushed.error.code).toBe('QUEUE_ERROR');
    expect(await inner.depth()).toEqual({ ok: true, value: 0 });
    expect(faults).toEqual([{ kind: 'outbox-fail', detail: 'push' }]);
  });

  it('never lets a call abandoned by a crash take effect or answer', async () => {
    const { scheduler, inner, faulty } = outbox(0, 50);
    let answered = false;
    void faulty.push(delta(1)).then(() => {
      answered = true;
    });
    faulty.abandon();
    await scheduler.runUntil(1_000);
    expect(answered).toBe(false);
    expect(await inner.depth()).toEqual({ ok: true, value: 0 });
    // The restarted process's calls go through.
    const again = faulty.push(delta(2));
    await scheduler.runUntil(2_000);
    expect((await again).ok).toBe(true);
    expect(await inner.depth()).toEqual({ ok: true, value: 1 });
  });

  it('fails nothing while the world says faults do not apply (the heal phase)', async () => {
    const scheduler = new Scheduler();
    const inner = new MemoryQueue();
    const faulty = new FaultyOutbox(inner, {
      prng: createPrng(7, 'outbox/client-0'),
      failProbability: 1,
      latencyMsMax: 0,
      scheduler,
      lane: 'client-0',
      onFault: () => undefined,
      faultsApply: () => false,
    });
    expect((await faulty.push(delta(1))).ok).toBe(true);
  });
  it('hands a restamp its options (entries held, the lowest lastHlc), as the queue beneath takes them', async () => {
    const { scheduler, inner, faulty } = outbox(0, 0);
    const pushed = faulty.push(delta(1));
    await scheduler.runUntil(10);
    expect((await pushed).ok).toBe(true);
    const entries = await inner.entries();
    const id = entries.ok ? entries.value[0]!.id : '';
    const raised = HLC.encode(1_700_000_100_000, 0);
    const restamped = faulty.restamp([], { held: [id], lastHlcMin: raised });
    await scheduler.runUntil(20);
    expect((await restamped).ok).toBe(true);
    expect(await inner.lastHlc()).toEqual({ ok: true, value: raised });
    const after = await inner.entries();
    expect(after.ok && after.value[0]!.status).toBe('accepted');
  });
});
