/**
 * Guards an invariant. A false condition is a bug in LakeSync, not a bad input: it throws so the
 * simulator and tests stop loudly at the first broken invariant.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

/** Marks a branch the type system proves unreachable; throws if it is ever reached. */
export function unreachable(value: never, message = 'unreachable'): never {
  throw new Error(`${message}: ${String(value)}`);
}
