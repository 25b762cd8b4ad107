import type { FaultRates } from '../types';

const KEYS: Record<keyof FaultRates, true> = {
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

/**
 * Every field of `FaultRates`, in declaration order. The record above makes the compiler fail when
 * a field is added to `FaultRates` and not listed here, so the shrinker and the plan-file checks
 * never silently skip a fault.
 */
export const FAULT_RATE_KEYS: readonly (keyof FaultRates)[] = Object.keys(
  KEYS,
) as (keyof FaultRates)[];
