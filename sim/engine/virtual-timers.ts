import type { TimerHandle, Timers } from '../../src/ports/timers';
import type { ScheduledEvent } from './event-queue';
import type { Scheduler } from './scheduler';

/** Called when a timer callback (code under test) throws: the exception escaped a public API. */
export type CallbackErrorSink = (error: unknown, where: string) => void;

/** Longest delay honoured, as in Node and browsers; longer (or infinite) ones are capped. */
export const TIMER_DELAY_MS_MAX = 2_147_483_647;

/** What a crashed node's `schedule` returns: a handle to nothing. */
const DISCARDED_HANDLE = Object.freeze({}) as unknown as TimerHandle;

/**
 * One node's `Timers` on the shared event queue: a callback scheduled `delayMs` ahead runs at that
 * virtual time (rounded up to whole ms, never before now; NaN and negative delays mean 0,
 * delays above `TIMER_DELAY_MS_MAX` are capped). A node that crashes calls `discardAll`:
 * its pending callbacks never run and later `schedule` calls from its orphaned code are ignored,
 * so a dead node cannot act again.
 *
 * A callback that throws is reported to `onError` (the "no exception escapes" oracle) and the run
 * continues.
 */
export class VirtualTimers implements Timers {
  readonly #scheduler: Scheduler;
  readonly #where: string;
  readonly #onError: CallbackErrorSink;
  readonly #live = new Set<ScheduledEvent>();
  #discarded = false;

  constructor(scheduler: Scheduler, where: string, onError: CallbackErrorSink) {
    this.#scheduler = scheduler;
    this.#where = where;
    this.#onError = onError;
  }

  /** Timers scheduled and neither run, cancelled nor discarded. */
  get pending(): number {
    return this.#live.size;
  }

  schedule(fn: () => void, delayMs: number): TimerHandle {
    if (this.#discarded) return DISCARDED_HANDLE;
    const delay = delayMs > 0 ? Math.min(Math.ceil(delayMs), TIMER_DELAY_MS_MAX) : 0;
    const live = this.#live;
    const event = this.#scheduler.after(delay, () => {
      live.delete(event);
      try {
        fn();
      } catch (error) {
        this.#onError(error, `${this.#where} timer callback`);
      }
    });
    live.add(event);
    return event as unknown as TimerHandle;
  }

  cancel(handle: TimerHandle): void {
    const event = handle as unknown as ScheduledEvent;
    if (!this.#live.delete(event)) return;
    this.#scheduler.cancel(event);
  }

  /** Cancels every pending callback and ignores all later ones (the node crashed). */
  discardAll(): void {
    this.#discarded = true;
    for (const event of this.#live) this.#scheduler.cancel(event);
    this.#live.clear();
  }
}
