/** An opaque handle for a scheduled callback. */
export type TimerHandle = { readonly __brand: 'TimerHandle' };

/**
 * Deferred callbacks. Contract: `fn` runs once, no earlier than `delayMs` after scheduling on the
 * same timeline as the node's clock, unless cancelled first; callbacks never run re-entrantly
 * inside `setTimeout`. Real: `systemTimers`; simulated: the simulator's event queue.
 */
export interface Timers {
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
