import { describe, expect, it } from 'vitest';
import { EventQueue } from '../engine/event-queue';
import { createPrng } from '../engine/prng';
import { settle } from '../engine/quiescence';
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

  it('rejects with what an action threw, and can run again afterwards', async () => {
    const scheduler = new Scheduler();
    scheduler.at(5, () => {
      throw new Error('simulator bug');
    });
    scheduler.at(6, () => {});
    await expect(scheduler.runUntil(10)).rejects.toThrow('simulator bug');
    expect(scheduler.nowMs).toBe(5);
    await scheduler.runUntil(10);
    expect(scheduler.nowMs).toBe(10);
    expect(scheduler.eventsRun).toBe(2);
  });

  it('refuses a second runUntil while one is in progress', async () => {
    const scheduler = new Scheduler();
    scheduler.at(1, () => {});
    const first = scheduler.runUntil(10);
    expect(() => scheduler.runUntil(20)).toThrow(/in progress/);
    await first;
  });

  it('runs settling and synchronous events in the same order as an await-per-event loop', async () => {
    // The reference: the loop runUntil replaced (an async loop awaiting settle() per event).
    const reference = async (plan: (scheduler: Scheduler, log: string[]) => void) => {
      const log: string[] = [];
      const events: Array<{ at: number; settles: boolean; action: () => void }> = [];
      const fake = {
        at: (at: number, action: () => void, settles = true) => {
          events.push({ at, settles, action });
        },
        nowMs: 0,
      };
      plan(fake as unknown as Scheduler, log);
      events.sort((a, b) => a.at - b.at);
      for (const event of events) {
        event.action();
        if (event.settles) await settle();
      }
      return log;
    };
    const plan = (scheduler: Scheduler, log: string[]) => {
      for (let index = 0; index < 30; index++) {
        scheduler.at(
          index,
          () => {
            log.push(`event ${index}`);
            void (async () => {
              for (let hop = 0; hop < index % 7; hop++) await null;
              log.push(`chain ${index}`);
            })();
          },
          index % 3 !== 0,
        );
      }
    };
    const scheduler = new Scheduler();
    const log: string[] = [];
    plan(scheduler, log);
    await scheduler.runUntil(100);
    expect(log).toEqual(await reference(plan));
  });
});
