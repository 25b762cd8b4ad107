import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';

/** The client's named bounds and timings. */
export interface ClientOptions {
  /** Most outbox entries sent in one push. */
  readonly pushBatchMax: number;
  /** Most deltas asked for in one pull page. */
  readonly pullDeltasMax: number;
  /** Pushes and pull pages in one round before it yields (bounds a round's length). */
  readonly roundRequestsMax: number;
  /** Pause between rounds of the loop started by `start()`. */
  readonly syncIntervalMs: number;
  /** First delay after a failed round; doubles up to `retryDelayMsMax`. */
  readonly retryDelayMsMin: number;
  readonly retryDelayMsMax: number;
  /** A server HLC further ahead of the local wall clock than this is not absorbed. */
  readonly maxDriftMs: number;
}

/** Sane defaults for a browser or app client. */
export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  pushBatchMax: 100,
  pullDeltasMax: 500,
  roundRequestsMax: 64,
  syncIntervalMs: 1_000,
  retryDelayMsMin: 200,
  retryDelayMsMax: 30_000,
  maxDriftMs: 5_000,
};

/** Merges overrides onto the defaults; every bound must be a positive finite number. */
export function resolveClientOptions(
  overrides: Partial<ClientOptions> = {},
): Result<ClientOptions, SchemaError> {
  const options = { ...DEFAULT_CLIENT_OPTIONS, ...overrides };
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      return Err(new SchemaError(`client option ${name} must be a positive number, got ${value}`));
    }
  }
  return Ok(options);
}
