import { LakeSyncError } from '../src/result/errors';

/**
 * How the server maps a refusal's `LakeSyncError` code to an HTTP status. The `SyncResponse` body
 * carries the code itself (clients act on the code, not the status); the status is for proxies,
 * logs and people with `curl`.
 */

/** Codes the HTTP layer adds to the gateway's own (each reply still carries an `ErrorReply`). */
export const HTTP_ERROR_CODES = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  internal: 'INTERNAL',
} as const;

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  CODEC_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SEQUENCE_GAP: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SCHEMA_MISMATCH: 422,
  CLOCK_DRIFT: 422,
  INTERNAL: 500,
  BACKPRESSURE: 503,
  GATEWAY_CLOSED: 503,
};

/** Codes after which the client should wait and retry the same request: answered with `Retry-After`. */
const RETRY_LATER_CODES: ReadonlySet<string> = new Set(['BACKPRESSURE', 'GATEWAY_CLOSED']);

/** The HTTP status for a refusal code; an unknown code is a 400 (the request was refused). */
export function httpStatusFor(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/** True when a refusal with this code should carry a `Retry-After` header. */
export function shouldRetryLater(code: string): boolean {
  return RETRY_LATER_CODES.has(code);
}

/** A refusal raised by the HTTP layer itself (auth, routing, framing). */
export function httpRefusal(code: string, message: string): LakeSyncError {
  return new LakeSyncError(code, message);
}
