import { assert } from '../result/assert';
import type { Clock } from './clock';
import type { TimerHandle, Timers } from './timers';

/**
 * A clock that moves only when told: for tests of code that takes a `Clock`. It may be set
 * backwards, as a real wall clock can be.
 */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 1_700_000_000_000) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Sets the reading, forwards or backwards. */
  set(nowMs: number): void {
    this.#nowMs = nowMs;
  }

  /** Moves the reading by `deltaMs` (negative for a backward jump). */
  advance(deltaMs: number): void {
    this.#nowMs += deltaMs;
  }
}

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

/** Timers driven by a `ManualClock`: nothing fires until `advance` (or `runDue`) is called. */
export class ManualTimers implements Timers {
  readonly #clock: ManualClock;
  #pending: PendingTimer[] = [];
  #nextId = 1;
  /** Named bound: a runaway loop of timers scheduling timers is a bug. */
  static readonly FIRINGS_PER_ADVANCE_MAX = 100_000;

  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  schedule(fn: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#pending.push({ id, dueMs: this.#clock.now() + Math.max(0, delayMs), fn });
    return id as unknown as TimerHandle;
  }

  cancel(handle: TimerHandle): void {
    const id = handle as unknown as number;
    this.#pending = this.#pending.filter((timer) => timer.id !== id);
  }

  /** Number of timers waiting. */
  get size(): number {
    return this.#pending.length;
  }

  /** Moves the clock forward, firing every timer that falls due on the way, in due order. */
  async advance(deltaMs: number): Promise<void> {
    const targetMs = this.#clock.now() + deltaMs;
    let firings = 0;
    for (;;) {
      const next = this.#nextDue(targetMs);
      if (next === undefined) break;
      assert(++firings <= ManualTimers.FIRINGS_PER_ADVANCE_MAX, 'timer firings per advance');
      this.#pending = this.#pending.filter((timer) => timer.id !== next.id);
      if (next.dueMs > this.#clock.now()) this.#clock.set(next.dueMs);
      next.fn();
      await settle();
    }
    if (targetMs > this.#clock.now()) this.#clock.set(targetMs);
    await settle();
  }

  /** Fires the timers already due without moving the clock. */
  runDue(): Promise<void> {
    return this.advance(0);
  }

  #nextDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.#pending) {
      if (timer.dueMs <= limitMs && (best === undefined || timer.dueMs < best.dueMs)) best = timer;
    }
    return best;
  }
}

/**
 * Lets every promise continuation already queued run to completion: one macrotask turn
 * (`setImmediate` where the host has it, which runs after the microtask queue drains).
 */
async function settle(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate !== undefined) {
    await new Promise<void>((resolve) => immediate(resolve));
    return;
  }
  for (let turn = 0; turn < 16; turn++) await Promise.resolve();
}
