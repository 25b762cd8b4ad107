import { AdapterError } from '../result/errors';

/**
 * Turns whatever the AWS SDK (or the network under it) rejected with into an `AdapterError` whose
 * message says what was attempted, on which key, and why: the S3 error code, the HTTP status, or
 * the socket error (`ECONNREFUSED`, `ETIMEDOUT`…). The original error is kept as the cause.
 */

/** What the SDK's errors carry, read defensively (any field may be absent). */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);

/** True iff the SDK error says the object (or bucket) does not exist. */
export function isNotFound(cause: Error): boolean {
  const shape = cause as SdkErrorShape;
  return (
    (typeof shape.name === 'string' && NOT_FOUND_NAMES.has(shape.name)) ||
    shape.$metadata?.httpStatusCode === 404
  );
}

/** The most useful one-line reason an SDK error gives. */
export function describeCause(cause: Error): string {
  const shape = cause as SdkErrorShape;
  const parts: string[] = [];
  const code = socketCode(cause);
  if (code !== null) parts.push(code);
  if (typeof shape.name === 'string' && shape.name !== 'Error' && shape.name !== code) {
    parts.push(shape.name);
  }
  const status = shape.$metadata?.httpStatusCode;
  if (typeof status === 'number') parts.push(`HTTP ${status}`);
  const message = typeof shape.message === 'string' ? shape.message.trim() : '';
  if (message.length > 0 && message !== shape.name) parts.push(message);
  return parts.length > 0 ? parts.join(': ') : String(cause);
}

/** A Node socket error code (`ECONNREFUSED`…), looking through `cause` and `AggregateError`s. */
function socketCode(error: unknown, depth = 0): string | null {
  if (depth > 4 || typeof error !== 'object' || error === null) return null;
  const shape = error as SdkErrorShape;
  if (typeof shape.code === 'string' && /^E[A-Z]+$/.test(shape.code)) return shape.code;
  if (Array.isArray(shape.errors)) {
    for (const inner of shape.errors) {
      const found = socketCode(inner, depth + 1);
      if (found !== null) return found;
    }
  }
  return socketCode(shape.cause, depth + 1);
}

/** `getObject deltas/x.json failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`. */
export function adapterFailure(operation: string, key: string, cause: Error): AdapterError {
  const target = key.length > 0 ? ` ${key}` : '';
  if (isNotFound(cause)) {
    return new AdapterError(`${operation}${target}: not found (${describeCause(cause)})`, cause);
  }
  return new AdapterError(`${operation}${target} failed: ${describeCause(cause)}`, cause);
}
