import { describe, expect, it } from 'vitest';
import { ClockDriftError } from '../../result/errors';
import { HLC } from '../hlc';
import type { HLCTimestamp } from '../types';

/** A wall clock the test sets by hand. */
function fakeClock(start: number): { now: () => number; t: number } {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

const T0 = 1_700_000_000_000;

describe('HLC', () => {
  it('now() is strictly increasing while the wall clock advances', () => {
    const clock = fakeClock(T0);
    const hlc = new HLC(clock);
    let previous = hlc.now();
    for (let step = 0; step < 100; step++) {
      clock.t += step % 3; // sometimes unchanged, sometimes forward
      const next = hlc.now();
      expect(next > previous).toBe(true);
      previous = next;
    }
  });

  it('now() increments the logical counter when the wall clock does not move', () => {
    const hlc = new HLC(fakeClock(T0));
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0, counter: 0 });
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0, counter: 1 });
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0, counter: 2 });
  });

  it('now() absorbs a backward clock jump: the wall part never decreases', () => {
    const clock = fakeClock(T0);
    const hlc = new HLC(clock);
    const before = hlc.now();
    clock.t = T0 - 60_000;
    const after = hlc.now();
    expect(after > before).toBe(true);
    expect(HLC.decode(after)).toEqual({ wall: T0, counter: 1 });
    clock.t = T0 + 1;
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0 + 1, counter: 0 });
  });

  it('recv() of a valid remote returns Ok above both the remote and the local clock', () => {
    const clock = fakeClock(T0);
    const hlc = new HLC(clock);
    const local = hlc.now();
    const remote = HLC.encode(T0 + 2_000, 7);
    const result = hlc.recv(remote);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value > remote && result.value > local).toBe(true);
    expect(HLC.decode(result.value)).toEqual({ wall: T0 + 2_000, counter: 8 });
    expect(hlc.now() > result.value).toBe(true);
  });

  it('recv() rejects a remote more than 5 s ahead of the local wall clock and stays unchanged', () => {
    const hlc = new HLC(fakeClock(T0));
    hlc.now();
    const lastBefore = hlc.last();
    const result = hlc.recv(HLC.encode(T0 + HLC.MAX_DRIFT_MS + 1, 0));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ClockDriftError);
    expect(result.error.code).toBe('CLOCK_DRIFT');
    expect(result.error.message).toContain('5001 ms ahead');
    expect(hlc.last()).toBe(lastBefore);
    expect(hlc.recv(HLC.encode(T0 + HLC.MAX_DRIFT_MS, 0)).ok).toBe(true);
  });

  it('recv() measures drift against the local wall clock, not the last HLC', () => {
    const clock = fakeClock(T0);
    const hlc = new HLC(clock);
    expect(hlc.recv(HLC.encode(T0 + 4_000, 0)).ok).toBe(true);
    // The HLC now sits 4 s ahead of the wall clock; a remote 4 s beyond the HLC is 8 s ahead.
    expect(hlc.recv(HLC.encode(T0 + 8_000, 0)).ok).toBe(false);
    const narrow = new HLC(fakeClock(T0), { maxDriftMs: 10 });
    expect(narrow.recv(HLC.encode(T0 + 11, 0)).ok).toBe(false);
    expect(narrow.recv(HLC.encode(T0 + 10, 0)).ok).toBe(true);
  });

  it('recv() of a past timestamp returns Ok and keeps advancing', () => {
    const hlc = new HLC(fakeClock(T0));
    const local = hlc.now();
    const result = hlc.recv(HLC.encode(T0 - 10_000, 500));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value > local).toBe(true);
    expect(HLC.decode(result.value)).toEqual({ wall: T0, counter: 1 });
  });

  it('recv() with equal wall parts takes the larger counter plus one', () => {
    const hlc = new HLC(fakeClock(T0));
    hlc.now(); // counter 0
    const result = hlc.recv(HLC.encode(T0, 41));
    expect(result.ok && HLC.decode(result.value)).toEqual({ wall: T0, counter: 42 });
  });

  it('recv() rejects values that are not 64-bit timestamps instead of crashing', () => {
    const hlc = new HLC(fakeClock(T0));
    expect(hlc.recv(-1n as HLCTimestamp).ok).toBe(false);
    expect(hlc.recv((1n << 64n) as HLCTimestamp).ok).toBe(false);
    expect(hlc.recv(12 as unknown as HLCTimestamp).ok).toBe(false);
  });

  it('encode()/decode() round-trip the edge values', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [HLC.WALL_MAX, 0],
      [0, HLC.COUNTER_MAX],
      [HLC.WALL_MAX, HLC.COUNTER_MAX],
      [T0, 12_345],
    ];
    for (const [wall, counter] of cases) {
      expect(HLC.decode(HLC.encode(wall, counter))).toEqual({ wall, counter });
    }
    expect(HLC.encode(0, 0)).toBe(HLC.ZERO);
    expect(HLC.encode(HLC.WALL_MAX, HLC.COUNTER_MAX)).toBe((1n << 64n) - 1n);
    expect(() => HLC.encode(HLC.WALL_MAX + 1, 0)).toThrow(/wall/);
    expect(() => HLC.encode(0, HLC.COUNTER_MAX + 1)).toThrow(/counter/);
    expect(() => HLC.encode(1.5, 0)).toThrow(/wall/);
    expect(() => HLC.decode(-1n as HLCTimestamp)).toThrow(/2\^64/);
  });

  it('compare() orders by wall, then counter', () => {
    const a = HLC.encode(T0, 5);
    const b = HLC.encode(T0, 6);
    const c = HLC.encode(T0 + 1, 0);
    expect(HLC.compare(a, b)).toBe(-1);
    expect(HLC.compare(b, a)).toBe(1);
    expect(HLC.compare(b, c)).toBe(-1);
    expect(HLC.compare(c, c)).toBe(0);
    expect([c, a, b].sort(HLC.compare)).toEqual([a, b, c]);
  });

  it('counter overflow advances the wall by 1 ms and resets the counter', () => {
    const hlc = new HLC(fakeClock(T0));
    hlc.observe(HLC.encode(T0, HLC.COUNTER_MAX - 1));
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0, counter: HLC.COUNTER_MAX });
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0 + 1, counter: 0 });
    const viaRecv = new HLC(fakeClock(T0));
    const result = viaRecv.recv(HLC.encode(T0, HLC.COUNTER_MAX));
    expect(result.ok && HLC.decode(result.value)).toEqual({ wall: T0 + 1, counter: 0 });
  });

  it('observe() raises the clock above a past timestamp without a drift check', () => {
    const hlc = new HLC(fakeClock(T0));
    expect(hlc.last()).toBe(HLC.ZERO);
    const ownPast = HLC.encode(T0 + 60_000, 3); // stamped before a restart, clock now behind
    hlc.observe(ownPast);
    expect(hlc.last()).toBe(ownPast);
    hlc.observe(HLC.encode(T0, 0)); // lower: no effect
    expect(hlc.last()).toBe(ownPast);
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0 + 60_000, counter: 4 });
  });

  it('treats NaN, negative, infinite and out-of-range clock readings as 0 and stays monotonic', () => {
    const clock = fakeClock(T0);
    const hlc = new HLC(clock);
    let previous = hlc.now();
    for (const reading of [
      Number.NaN,
      -5,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      2 ** 60,
    ]) {
      clock.t = reading;
      const next = hlc.now();
      expect(next > previous).toBe(true);
      expect(HLC.decode(next).wall).toBe(T0);
      previous = next;
    }
    clock.t = T0 + 10.7;
    expect(HLC.decode(hlc.now())).toEqual({ wall: T0 + 10, counter: 0 });
    const fresh = new HLC(fakeClock(Number.NaN));
    expect(HLC.decode(fresh.now())).toEqual({ wall: 0, counter: 1 });
  });
});
