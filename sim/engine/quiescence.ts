/**
 * Calls `callback` once every microtask queued so far — and every microtask those queue in turn —
 * has run.
 *
 * Why it works: both Node and Bun run the `process.nextTick` queue only when the microtask queue
 * is empty (Node's `processTicksAndRejections` alternates "run every tick, then drain every
 * microtask" until both are empty; a tick queued while microtasks drain waits for the drain).
 * The tick is queued from a microtask, so it also waits when this is called outside one (a tick
 * queued from plain code could run before microtasks already queued). Nothing inside a simulated
 * run waits on real I/O or real timers, so when `callback` runs, all promise chains started by the
 * last event have either finished or are parked on something only a later simulated event can
 * resolve (a network reply, a storage completion, a timer). Driving async work to this point
 * between events makes the order of promise continuations a pure function of the event order.
 *
 * This allocates a closure per call; the scheduler, which needs it after every settling event,
 * uses `quiescenceStep` instead, which builds its two functions once.
 */
export function afterQuiescence(callback: () => void): void {
  queueMicrotask(() => process.nextTick(callback));
}

/**
 * A reusable "run `callback` at quiescence" step: calling the returned function has the effect of
 * `afterQuiescence(callback)` without allocating a closure per call.
 */
export function quiescenceStep(callback: () => void): () => void {
  const queueTick = (): void => process.nextTick(callback);
  return () => queueMicrotask(queueTick);
}

/**
 * Resolves at quiescence (see `afterQuiescence`). It replaced a `setImmediate` per settling event
 * (one event-loop turn each: timers, poll and check phases), with the same quiescence point and so
 * the same trace hashes.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => afterQuiescence(resolve));
}
