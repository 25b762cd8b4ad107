import type { FaultRates } from '../types';

/** The fields every `FaultRates` has (the optional ones are absent in older plans). */
export type RequiredRateKey = {
  [K in keyof FaultRates]-?: undefined extends FaultRates[K] ? never : K;
}[keyof FaultRates];

/** The optional fields of `FaultRates`. */
export type OptionalRateKey = Exclude<keyof FaultRates, RequiredRateKey>;

const KEYS: Record<RequiredRateKey, true> = {
  dropProbability: true,
  duplicateProbability: true,
  replyLossProbability: true,
  latencyMsMin: true,
  latencyMsMax: true,
  storagePutFailProbability: true,
  storageLostReplyProbability: true,
  storageLatencyMsMin: true,
  storageLatencyMsMax: true,
  partitionsPerRun: true,
  clockSkewsPerRun: true,
  clockJumpsPerRun: true,
  gatewayRestartsPerRun: true,
  clientRestartsPerRun: true,
  offlinePeriodsPerRun: true,
  clockSkewMsMax: true,
  clockDriftPpmMax: true,
};

const OPTIONAL_KEYS: Record<OptionalRateKey, true> = {
  reincarnationsPerRun: true,
  secondLoopsPerRun: true,
  outboxFailProbability: true,
  outboxLatencyMsMax: true,
  backupRestoresPerRun: true,
};

/**
 * Every required field of `FaultRates`, in declaration order. The record above makes the compiler
 * fail when a field is added to `FaultRates` and not listed here, so the shrinker and the
 * plan-file checks never silently skip a fault.
 */
export const FAULT_RATE_KEYS: readonly RequiredRateKey[] = Object.keys(KEYS) as RequiredRateKey[];

/**
 * The optional fields of `FaultRates`: counts that only some profiles set (they shape the plan's
 * events, which a plan file lists explicitly, so the shrinker leaves them be), and per-call
 * probabilities newer than the oldest plans (`OPTIONAL_PROBABILITY_KEYS`).
 */
export const OPTIONAL_FAULT_RATE_KEYS: readonly OptionalRateKey[] = Object.keys(
  OPTIONAL_KEYS,
) as OptionalRateKey[];

/** The optional per-call rates: absent means 0; the shrinker zeroes them like the rest. */
export const OPTIONAL_PROBABILITY_KEYS = [
  'outboxFailProbability',
  'outboxLatencyMsMax',
] as const satisfies readonly OptionalRateKey[];

/** A rate the shrinker may set to zero. */
export type ShrinkableRateKey = RequiredRateKey | (typeof OPTIONAL_PROBABILITY_KEYS)[number];

/** Every rate the shrinker tries to zero, in a fixed order. */
export const SHRINKABLE_RATE_KEYS: readonly ShrinkableRateKey[] = [
  ...FAULT_RATE_KEYS,
  ...OPTIONAL_PROBABILITY_KEYS,
];
