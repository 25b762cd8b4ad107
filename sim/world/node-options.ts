import type { ClientOptions } from '../../src/client/options';
import type { GatewayOptions } from '../../src/gateway/options';

/**
 * Wall time every simulated clock shows at virtual time 0 (2023-11-14T22:13:20Z), so HLCs, object
 * keys and envelope dates look like real ones.
 */
export const SIM_EPOCH_MS = 1_700_000_000_000;

/**
 * The gateway's bounds inside the simulator: far smaller than production so that one minute of
 * virtual time exercises flushes by size and by age, envelope splitting, log trimming (pulls
 * answered with snapshots), paging, and backpressure when storage keeps failing. Flush retries are
 * capped low so a gateway recovers well inside the heal phase.
 */
export const SIM_GATEWAY_OPTIONS: Partial<GatewayOptions> = Object.freeze({
  bufferBytesMax: 48 * 1024,
  flushBytesThreshold: 16 * 1024,
  flushAgeMs: 2_000,
  envelopeDeltasMax: 400,
  pushBatchMax: 200,
  pullDeltasMax: 200,
  logRetainMax: 1_500,
  retryDelayMsMin: 100,
  retryDelayMsMax: 4_000,
  maxDriftMs: 5_000,
});

/**
 * The clients' bounds inside the simulator: small batches and pages (so paging is exercised),
 * the production sync interval, and a backoff capped at 4 s so clients come back quickly once
 * faults stop.
 */
export const SIM_CLIENT_OPTIONS: Partial<ClientOptions> = Object.freeze({
  pushBatchMax: 50,
  pullDeltasMax: 100,
  syncIntervalMs: 2_000,
  retryDelayMsMin: 200,
  retryDelayMsMax: 4_000,
  maxDriftMs: 5_000,
});

/**
 * A request with no reply fails after this much virtual time. Above the slowest round trip any
 * profile draws (2 × 1 050 ms in swarm), so only lost messages time out.
 */
export const REQUEST_TIMEOUT_MS = 3_000;

/** After a failed `SyncGateway.open` (storage refused a read), try again this much later. */
export const GATEWAY_OPEN_RETRY_MS = 1_000;

/** After a failed `SyncClient.open`, try again this much later. */
export const CLIENT_OPEN_RETRY_MS = 500;

/**
 * Ordinary clock error, present even without faults: each client clock starts up to this far off
 * true time (NTP accuracy) and drifts up to `CLOCK_BASE_DRIFT_PPM_MAX`; the gateway's clock is on
 * true time and drifts at most that much. Each is capped by the profile's `clockSkewMsMax` and
 * `clockDriftPpmMax`, so the `none` profile keeps perfect clocks.
 */
export const CLOCK_BASE_SKEW_MS_MAX = 50;
export const CLOCK_BASE_DRIFT_PPM_MAX = 20;
