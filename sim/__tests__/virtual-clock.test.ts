import { describe, expect, it } from 'vitest';
import { HLC } from '../../src/hlc/hlc';
import { Scheduler } from '../engine/scheduler';
import { VirtualClock } from '../engine/virtual-clock';
import { VirtualTimers } from '../engine/virtual-timers';

const EPOCH = 1_700_000_000_000;

async function at(scheduler: Scheduler, timeMs: number): Promise<void> {
  await scheduler.runUntil(timeMs);
}

describe('VirtualClock', () => {
  it('reads epoch + virtual time with no skew', async () => {
    const scheduler = new Scheduler();
    const clock = new VirtualClock(scheduler, EPOCH);
    expect(clock.now()).toBe(EPOCH);
    await at(scheduler, 1_234);
    expect(clock.now()).toBe(EPOCH + 1_234);
  });

  it('applies skew at once and drift in proportion to elapsed true time', async () => {
    const scheduler = new Scheduler();
    const clock = new VirtualClock(scheduler, EPOCH);
    await at(scheduler, 1_000);
    clock.skew(-2_000, 1_000); // 2 s behind, gaining 1 ms per second
    expect(clock.now()).toBe(EPOCH + 1_000 - 2_000);
    await at(scheduler, 11_000);
    expect(clock.now()).toBe(EPOCH + 11_000 - 2_000 + 10);
    expect(clock.offsetMs()).toBe(-1_990);
  });

  it('jumps backwards and forwards, keeping accumulated drift', async () => {
    const scheduler = new Scheduler();
    const clock = new VirtualClock(scheduler, EPOCH);
    clock.skew(0, 100_000); // 10 %
    await at(scheduler, 1_000);
    expect(clock.offsetMs()).toBe(100);
    clock.jump(-5_000);
    expect(clock.now()).toBe(EPOCH + 1_000 + 100 - 5_000);
    await at(scheduler, 2_000);
    expect(clock.offsetMs()).toBe(100 - 5_000 + 100);
    clock.jump(300);
    expect(clock.offsetMs()).toBe(-4_500);
  });

  it('re-syncs to true time', async () => {
    const scheduler = new Scheduler();
    const clock = new VirtualClock(scheduler, EPOCH);
    clock.skew(8_000, -300);
    await at(scheduler, 5_000);
    clock.resync();
    expect(clock.now()).toBe(EPOCH + 5_000);
    await at(scheduler, 9_000);
    expect(clock.now()).toBe(EPOCH + 9_000);
  });

  it('keeps an HLC on top of it monotonic across a backwards jump', async () => {
    const scheduler = new Scheduler();
    const clock = new VirtualClock(scheduler, EPOCH);
    const hlc = new HLC(clock);
    await at(scheduler, 100);
    const before = hlc.now();
    clock.jump(-10_000);
    expect(hlc.now() > before).toBe(true);
  });
});

describe('VirtualTimers', () => {
  it('runs callbacks at their virtual time, rounding delays up, and can cancel them', async () => {
    const scheduler = new Scheduler();
    const timers = new VirtualTimers(scheduler, 'node', () => {});
    const seen: number[] = [];
    timers.schedule(() => seen.push(scheduler.nowMs), 10.2);
    const cancelled = timers.schedule(() => seen.push(-1), 5);
    timers.schedule(() => seen.push(scheduler.nowMs), -4);
    timers.schedule(() => seen.push(scheduler.nowMs), Number.NaN);
    timers.cancel(cancelled);
    expect(timers.pending).toBe(3);
    await scheduler.runUntil(100);
    expect(seen).toEqual([0, 0, 11]);
    expect(timers.pending).toBe(0);
  });

  it('discards every pending callback of a crashed node and ignores later ones', async () => {
    const scheduler = new Scheduler();
    const timers = new VirtualTimers(scheduler, 'node', () => {});
    let ran = 0;
    timers.schedule(() => ran++, 10);
    timers.schedule(() => ran++, 20);
    timers.discardAll();
    timers.schedule(() => ran++, 1);
    await scheduler.runUntil(100);
    expect(ran).toBe(0);
    expect(scheduler.eventsRun).toBe(0);
  });

  it('reports a throwing callback and carries on', async () => {
    const scheduler = new Scheduler();
    const errors: string[] = [];
    const timers = new VirtualTimers(scheduler, 'client-1', (error, where) =>
      errors.push(`${where}: ${(error as Error).message}`),
    );
    let after = false;
    timers.schedule(() => {
      throw new Error('boom');
    }, 1);
    timers.schedule(() => {
      after = true;
    }, 2);
    await scheduler.runUntil(10);
    expect(errors).toEqual(['client-1 timer callback: boom']);
    expect(after).toBe(true);
  });
});
