import type { TimerHandle, Timers } from '../ports/timers';
import type { LakeSyncError } from '../result/errors';
import type { Result } from '../result/result';
import { SerialRun } from './serial-run';

/** How often a `RoundLoop` runs rounds, and how it backs off after failures. */
export interface RoundLoopTiming {
  /** Pause between successful rounds. */
  readonly intervalMs: number;
  /** First delay after a failed round; doubles up to `retryDelayMsMax`. */
  readonly retryDelayMsMin: number;
  readonly retryDelayMsMax: number;
}

/**
 * Runs one tab's sync rounds one at a time: on demand (`runNow`), on a timer once started, and
 * soon after a `kick` (a write here, a message from another tab). Rounds never overlap within
 * the tab; the lock that keeps them from overlapping across tabs is the round's own business.
 * Timers come through the `Timers` port.
 */
export class RoundLoop<T> {
  readonly #timers: Timers;
  readonly #timing: RoundLoopTiming;
  readonly #rounds: SerialRun<Result<T, LakeSyncError>>;
  #timer: TimerHandle | null = null;
  #looping = false;
  #failures = 0;

  constructor(
    timers: Timers,
    timing: RoundLoopTiming,
    round: () => Promise<Result<T, LakeSyncError>>,
  ) {
    this.#timers = timers;
    this.#timing = timing;
    this.#rounds = new SerialRun(round);
  }

  /**
   * Runs a round that starts after this call: at once when none is running, else right after the
   * running one (callers that arrive meanwhile share that next round).
   */
  runNow(): Promise<Result<T, LakeSyncError>> {
    return this.#rounds.run();
  }

  /** Starts the timer loop with a round now. */
  start(): void {
    if (this.#looping) return;
    this.#looping = true;
    this.#schedule(0);
  }

  /** Stops the timer loop; a round in flight finishes. */
  stop(): void {
    this.#looping = false;
    this.#cancelTimer();
  }

  /** Asks for a round soon: now, when the loop is on (its timer restarts); otherwise nothing. */
  kick(): void {
    if (this.#looping) this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer();
    this.#timer = this.#timers.schedule(() => {
      this.#timer = null;
      // A round that throws (a bug below, never an expected failure) counts as failed: the loop
      // keeps going with backoff instead of stopping on an unhandled rejection.
      void this.runNow()
        .then(
          (result) => result.ok,
          () => false,
        )
        .then((succeeded) => {
          this.#failures = succeeded ? 0 : this.#failures + 1;
          if (this.#looping && this.#timer === null) this.#schedule(this.#nextDelayMs());
        });
    }, delayMs);
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#timers.cancel(this.#timer);
    this.#timer = null;
  }

  #nextDelayMs(): number {
    const { intervalMs, retryDelayMsMin, retryDelayMsMax } = this.#timing;
    if (this.#failures === 0) return intervalMs;
    return Math.min(retryDelayMsMax, retryDelayMsMin * 2 ** Math.min(this.#failures - 1, 30));
  }
}
