import { LakeSyncError } from './errors';

/**
 * The outcome of an operation that can fail in an expected way. A plain discriminated union:
 * check `ok` before reading `value` or `error`. Public APIs return this and never throw.
 */
export type Result<T, E = LakeSyncError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A successful result carrying `value`. */
export const Ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

/** A failed result carrying `error`. */
export const Err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Transforms the value of an `Ok`; passes an `Err` through untouched. */
export function mapResult<T, U, E>(result: Result<T, E>, fn: (value: T) => U): Result<U, E> {
  return result.ok ? Ok(fn(result.value)) : result;
}

/** Chains a further fallible step onto an `Ok`; passes an `Err` through untouched. */
export function flatMapResult<T, U, E>(
  result: Result<T, E>,
  fn: (value: T) => Result<U, E>,
): Result<U, E> {
  return result.ok ? fn(result.value) : result;
}

/**
 * Returns the value of an `Ok` and throws the error of an `Err`. Only for tests and entry points
 * (CLI, examples), where a failure should stop the program.
 */
export function unwrapOrThrow<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const error = result.error;
  if (error instanceof Error) throw error;
  throw new LakeSyncError('UNWRAP_FAILED', `unwrapOrThrow on Err: ${String(error)}`);
}

/**
 * Wraps a promise that may reject into one that always resolves to a `Result`. The edge where
 * throwing code (SDKs, I/O) meets the rest of LakeSync.
 */
export async function fromPromise<T>(promise: Promise<T>): Promise<Result<T, Error>> {
  try {
    return Ok(await promise);
  } catch (caught) {
    return Err(caught instanceof Error ? caught : new Error(String(caught)));
  }
}
