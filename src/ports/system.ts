import type { Clock } from './clock';
import type { TimerHandle, Timers } from './timers';

/**
 * The real ports: the only file in `src/` allowed to read ambient time. Wire these in at entry
 * points (CLI, examples, integration tests that need real time); everything else takes ports as
 * arguments.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
};

/** Real timers backed by the host's `setTimeout`. */
export const systemTimers: Timers = {
  schedule(fn, delayMs) {
    return setTimeout(fn, delayMs) as unknown as TimerHandle;
  },
  cancel(handle) {
    clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
};
