import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';

/** The gateway's named bounds and timings. Every buffer and retry loop has a limit here. */
export interface GatewayOptions {
  /** Unflushed bytes above which pushes are refused with `BACKPRESSURE` (memory bound). */
  readonly bufferBytesMax: number;
  /** Flush as soon as unflushed bytes reach this. */
  readonly flushBytesThreshold: number;
  /** Flush when the oldest unflushed entry is this old (virtual or real ms, per the clock). */
  readonly flushAgeMs: number;
  /** Most deltas written in one envelope; a larger backlog is flushed in several. */
  readonly envelopeDeltasMax: number;
  /** Most deltas accepted in one push. */
  readonly pushBatchMax: number;
  /** Most deltas returned in one pull page. */
  readonly pullDeltasMax: number;
  /** Flushed log entries kept in memory for pulls; an older cursor is answered with a snapshot. */
  readonly logRetainMax: number;
  /** First flush retry delay after a failure; doubles up to `retryDelayMsMax`. */
  readonly retryDelayMsMin: number;
  readonly retryDelayMsMax: number;
  /** A delta whose HLC wall is further than this ahead of the gateway's wall clock is refused. */
  readonly maxDriftMs: number;
}

/** Sane production defaults. */
export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  bufferBytesMax: 64 * 1024 * 1024,
  flushBytesThreshold: 4 * 1024 * 1024,
  flushAgeMs: 30_000,
  envelopeDeltasMax: 50_000,
  pushBatchMax: 1_000,
  pullDeltasMax: 1_000,
  logRetainMax: 100_000,
  retryDelayMsMin: 100,
  retryDelayMsMax: 30_000,
  maxDriftMs: 5_000,
};

/** Merges caller overrides onto the defaults; every bound must be a positive finite number. */
export function resolveGatewayOptions(
  overrides: Partial<GatewayOptions> = {},
): Result<GatewayOptions, SchemaError> {
  const options = { ...DEFAULT_GATEWAY_OPTIONS, ...overrides };
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      return Err(new SchemaError(`gateway option ${name} must be a positive number, got ${value}`));
    }
  }
  return Ok(options);
}
