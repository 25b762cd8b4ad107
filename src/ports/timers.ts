/** An opaque handle for a scheduled callback. */
export type TimerHandle = { readonly __brand: 'TimerHandle' };

/**
 * Deferred callbacks. Contract: `fn` runs once, no earlier than `delayMs` after scheduling on the
 * same timeline as the node's clock, unless cancelled first; callbacks never run re-entrantly
 * inside `schedule`. Real: `systemTimers`; simulated: the simulator's event queue. (DESIGN.md
 * calls these `setTimeout` / cancel; the port's names differ from the host globals on purpose, so
 * a stray call to the ambient timer stands out to a reader and to the ports check.)
 */
export interface Timers {
  schedule(fn: () => void, delayMs: number): TimerHandle;
  cancel(handle: TimerHandle): void;
}
