import { describe, expect, it } from 'vitest';
import { EventQueue } from '../engine/event-queue';
import { createPrng } from '../engine/prng';
import { Scheduler } from '../engine/scheduler';

describe('EventQueue', () => {
  it('pops in (time, seq) order: by time, ties in insertion order', () => {
    const queue = new EventQueue();
    const prng = createPrng(1, 'queue');
    const pushed: Array<{ timeMs: number; label: number }> = [];
    for (let label = 0; label < 500; label++) {
      const timeMs = prng.below(50);
      pushed.push({ timeMs, label });
      queue.push(timeMs, () => {});
    }
    const popped: Array<{ timeMs: number; seq: number }> = [];
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) popped.push(event);
    const expected = [...pushed].sort((a, b) => a.timeMs - b.timeMs || a.label - b.label);
    expect(popped.map((event) => [event.timeMs, event.seq])).toEqual(
      expected.map((entry) => [entry.timeMs, entry.label]),
    );
  });

  it('asserts its bound eventsMax', () => {
    const queue = new EventQueue(3);
    for (let index = 0; index < 3; index++) queue.push(index, () => {});
    expect(() => queue.push(9, () => {})).toThrow(/eventsMax=3/);
  });

  it('refuses a negative or fractional time', () => {
    const queue = new EventQueue();
    expect(() => queue.push(-1, () => {})).toThrow(/event time/);
    expect(() => queue.push(1.5, () => {})).toThrow(/event time/);
  });
});

describe('Scheduler', () => {
  it('runs events in virtual time order and advances time only to event times', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    scheduler.at(30, () => seen.push(`c@${scheduler.nowMs}`));
    scheduler.at(10, () => {
      seen.push(`a@${scheduler.nowMs}`);
      scheduler.after(0, () => seen.push(`a-follow-up@${scheduler.nowMs}`));
    });
    scheduler.at(10, () => seen.push(`b@${scheduler.nowMs}`));
    await scheduler.runUntil(100);
    expect(seen).toEqual(['a@10', 'b@10', 'a-follow-up@10', 'c@30']);
    expect(scheduler.nowMs).toBe(100);
  });

  it('skips cancelled events and leaves later ones queued', async () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    const cancelled = scheduler.at(5, () => seen.push(5));
    scheduler.at(6, () => seen.push(6));
    scheduler.at(50, () => seen.push(50));
    scheduler.cancel(cancelled);
    await scheduler.runUntil(20);
    expect(seen).toEqual([6]);
    expect(scheduler.pending).toBe(1);
    await scheduler.runUntil(60);
    expect(seen).toEqual([6, 50]);
  });

  it('drives promise chains to quiescence between events', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    const deep = async (depth: number): Promise<void> => {
      for (let index = 0; index < depth; index++) await Promise.resolve();
      seen.push(`deep-done@${scheduler.nowMs}`);
    };
    scheduler.at(1, () => void deep(200));
    scheduler.at(1, () => seen.push(`second@${scheduler.nowMs}`));
    await scheduler.runUntil(10);
    expect(seen).toEqual(['deep-done@1', 'second@1']);
  });

  it('refuses to schedule in the past and stops on request', async () => {
    const scheduler = new Scheduler();
    let ran = 0;
    scheduler.at(10, () => {
      ran++;
      scheduler.stop();
    });
    scheduler.at(20, () => ran++);
    await scheduler.runUntil(100);
    expect(ran).toBe(1);
    expect(scheduler.nowMs).toBe(10);
    expect(() => scheduler.at(5, () => {})).toThrow(/before now/);
  });
});
