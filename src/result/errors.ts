/**
 * Every expected failure in LakeSync is a `LakeSyncError` with a stable string `code`. The doc
 * comment of each subclass says what the caller can do about it.
 */
export class LakeSyncError extends Error {
  readonly code: string;
  override readonly cause?: Error;

  constructor(code: string, message: string, cause?: Error) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (cause !== undefined) this.cause = cause;
  }
}

/** A remote HLC is too far ahead of the local wall clock. Recover: fix the sender's clock, retry. */
export class ClockDriftError extends LakeSyncError {
  override readonly code = 'CLOCK_DRIFT' as const;
  constructor(message: string, cause?: Error) {
    super('CLOCK_DRIFT', message, cause);
  }
}

/** Two deltas cannot be merged (different rows). Recover: a programming error in the caller. */
export class ConflictError extends LakeSyncError {
  override readonly code = 'CONFLICT' as const;
  constructor(message: string, cause?: Error) {
    super('CONFLICT', message, cause);
  }
}

/** A flush to the lake failed. Recover: nothing is lost; the gateway retries with backoff. */
export class FlushError extends LakeSyncError {
  override readonly code = 'FLUSH_FAILED' as const;
  constructor(message: string, cause?: Error) {
    super('FLUSH_FAILED', message, cause);
  }
}

/** Input does not fit the data model (bad op, empty id, bad column, forged deltaId). Recover: fix the input. */
export class SchemaError extends LakeSyncError {
  override readonly code = 'SCHEMA_MISMATCH' as const;
  constructor(message: string, cause?: Error) {
    super('SCHEMA_MISMATCH', message, cause);
  }
}

/** Object storage refused or failed a request. Recover: retry later; check endpoint and credentials. */
export class AdapterError extends LakeSyncError {
  override readonly code = 'ADAPTER_ERROR' as const;
  constructor(message: string, cause?: Error) {
    super('ADAPTER_ERROR', message, cause);
  }
}

/** Bytes on the wire could not be decoded (malformed, oversize, unknown enum). Recover: the peer is broken; do not retry the same bytes. */
export class CodecError extends LakeSyncError {
  override readonly code = 'CODEC_ERROR' as const;
  constructor(message: string, cause?: Error) {
    super('CODEC_ERROR', message, cause);
  }
}

/** A request did not reach its peer or its reply was lost. Recover: retry with backoff; pushes are idempotent. */
export class TransportError extends LakeSyncError {
  override readonly code = 'TRANSPORT_ERROR' as const;
  constructor(message: string, cause?: Error) {
    super('TRANSPORT_ERROR', message, cause);
  }
}

/** The outbox is full or its storage failed. Recover: sync to drain it, then write again. */
export class QueueError extends LakeSyncError {
  override readonly code = 'QUEUE_ERROR' as const;
  constructor(message: string, cause?: Error) {
    super('QUEUE_ERROR', message, cause);
  }
}

/** The gateway's buffer is over its byte limit while flushes fail. Recover: retry the push later. */
export class BackpressureError extends LakeSyncError {
  override readonly code = 'BACKPRESSURE' as const;
  constructor(message: string, cause?: Error) {
    super('BACKPRESSURE', message, cause);
  }
}

/**
 * A push does not follow on from what the gateway holds for that client (the gateway restarted and
 * lost unflushed deltas). Recover: re-push everything after the gateway's accepted watermark.
 */
export class SequenceGapError extends LakeSyncError {
  override readonly code = 'SEQUENCE_GAP' as const;
  constructor(message: string, cause?: Error) {
    super('SEQUENCE_GAP', message, cause);
  }
}
