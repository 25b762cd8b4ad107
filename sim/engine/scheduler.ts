import { assert } from '../../src/result/assert';
import { EventQueue, type ScheduledEvent } from './event-queue';
import { quiescenceStep } from './quiescence';

/** Read access to virtual time, for clocks and anything else that must not move it. */
export interface VirtualTime {
  /** Virtual ms since the start of the run; advances only when the scheduler pops an event. */
  readonly nowMs: number;
}

/**
 * The simulator's single source of time: an `EventQueue` plus the current virtual time.
 *
 * Guarantees:
 * - time never moves backwards, and moves only to the time of the event being run;
 * - events run one at a time in `(timeMs, seq)` order; an action scheduled at the current time
 *   runs after every event already queued for that time, never re-entrantly;
 * - after each event marked `settles`, every promise continuation it caused runs to quiescence
 *   (`settle`) before the next event, so async interleavings are a function of the event order.
 *
 * Exceptions thrown by an action propagate out of `runUntil`: actions are simulator code, and a
 * throw there is a simulator bug. Callbacks into `src/` are wrapped by their callers (timers,
 * network, storage) and turned into violations.
 */
export class Scheduler implements VirtualTime {
  readonly #queue: EventQueue;
  #nowMs = 0;
  #stopped = false;
  #eventsRun = 0;
  #running = false;

  constructor(eventsMax?: number) {
    this.#queue = new EventQueue(eventsMax);
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  /** Events run so far (cancelled ones excluded). */
  get eventsRun(): number {
    return this.#eventsRun;
  }

  /** Events currently held, cancelled ones included until they surface. */
  get pending(): number {
    return this.#queue.size;
  }

  /**
   * Schedules `action` at virtual time `timeMs` (asserted not in the past). `settles: false` marks
   * a purely synchronous action (no promise work follows), which skips the quiescence step.
   */
  at(timeMs: number, action: () => void, settles = true): ScheduledEvent {
    if (timeMs < this.#nowMs) {
      assert(false, `cannot schedule at ${timeMs} ms, before now ${this.#nowMs} ms`);
    }
    return this.#queue.push(timeMs, action, settles);
  }

  /** Schedules `action` `delayMs` (an integer ≥ 0) after now. */
  after(delayMs: number, action: () => void, settles = true): ScheduledEvent {
    if (!(Number.isSafeInteger(delayMs) && delayMs >= 0)) {
      assert(false, `delay must be an integer ≥ 0, got ${delayMs}`);
    }
    return this.#queue.push(this.#nowMs + delayMs, action, settles);
  }

  /** Cancels a scheduled event; cancelling one that already ran or was cancelled is a no-op. */
  cancel(event: ScheduledEvent): void {
    event.action = null;
  }

  /** Makes `runUntil` return after the current event (e.g. enough violations were found). */
  stop(): void {
    this.#stopped = true;
  }

  /** Whether `stop` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Runs events in order until the next one is later than `endMs`, the queue is empty, or `stop`
   * is called; then advances time to `endMs` (unless stopped). Rejects with whatever an action
   * threw. One call at a time (asserted).
   *
   * The loop is a plain function resumed by `quiescenceStep` after each settling event, not an
   * `async` loop awaiting `settle()`: same quiescence point (a tick queued from a microtask), so the
   * same event and continuation order, without a promise, its resolvers and an `await` per event.
   * Running an event's action from the tick rather than from a promise continuation changes
   * nothing the action can observe: in both, the microtask queue is empty when it starts (and no
   * other tick is queued — code under test never schedules ambient work, see `src/ports`).
   */
  runUntil(endMs: number): Promise<void> {
    assert(!this.#running, 'runUntil called while a run is in progress');
    this.#running = true;
    const queue = this.#queue;
    return new Promise<void>((resolve, reject) => {
      let resumeAtQuiescence: () => void = () => {};
      const step = (): void => {
        try {
          while (!this.#stopped) {
            const nextMs = queue.peekTimeMs();
            if (nextMs === null || nextMs > endMs) break;
            const event = queue.pop() as ScheduledEvent;
            const action = event.action;
            if (action === null) continue;
            event.action = null;
            this.#nowMs = event.timeMs;
            this.#eventsRun++;
            action();
            if (event.settles) {
              resumeAtQuiescence();
              return;
            }
          }
        } catch (error) {
          this.#running = false;
          reject(error);
          return;
        }
        this.#running = false;
        if (!this.#stopped && endMs > this.#nowMs) this.#nowMs = endMs;
        resolve();
      };
      resumeAtQuiescence = quiescenceStep(step);
      step();
    });
  }
}
