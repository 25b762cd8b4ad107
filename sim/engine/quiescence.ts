/**
 * Resolves once every microtask queued so far — and every microtask those queue in turn — has run.
 *
 * Why it works: `setImmediate` is a macrotask; both Node and Bun drain the whole microtask queue
 * before running the next macrotask, and nothing inside a simulated run waits on real I/O or real
 * timers. So when this resolves, all promise chains started by the last event have either finished
 * or are parked on something only a later simulated event can resolve (a network reply, a storage
 * completion, a timer). Driving async work to this point between events makes the order of
 * promise continuations a pure function of the event order.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
