import { unreachable } from '../../src/result/assert';
import type { Prng } from '../engine/prng';
import type { FaultProfileName, FaultRates } from '../types';

/** Every profile name, in order of increasing violence (swarm last: it varies per seed). */
export const FAULT_PROFILE_NAMES: readonly FaultProfileName[] = [
  'none',
  'calm',
  'default',
  'chaos',
  'trim',
  'reincarnation',
  'swarm',
];

/** No faults at all: a fast, healthy network and store (latency is not a fault). */
const NONE: FaultRates = Object.freeze({
  dropProbability: 0,
  duplicateProbability: 0,
  replyLossProbability: 0,
  latencyMsMin: 2,
  latencyMsMax: 20,
  storagePutFailProbability: 0,
  storageLostReplyProbability: 0,
  storageLatencyMsMin: 5,
  storageLatencyMsMax: 30,
  partitionsPerRun: 0,
  clockSkewsPerRun: 0,
  clockJumpsPerRun: 0,
  gatewayRestartsPerRun: 0,
  clientRestartsPerRun: 0,
  offlinePeriodsPerRun: 0,
  clockSkewMsMax: 0,
  clockDriftPpmMax: 0,
});

/** A little of everything, rarely; clocks stay well inside the 5 s drift limit. */
const CALM: FaultRates = Object.freeze({
  dropProbability: 0.01,
  duplicateProbability: 0.01,
  replyLossProbability: 0.01,
  latencyMsMin: 5,
  latencyMsMax: 60,
  storagePutFailProbability: 0.02,
  storageLostReplyProbability: 0.01,
  storageLatencyMsMin: 5,
  storageLatencyMsMax: 100,
  partitionsPerRun: 1,
  clockSkewsPerRun: 1,
  clockJumpsPerRun: 0,
  gatewayRestartsPerRun: 0,
  clientRestartsPerRun: 1,
  offlinePeriodsPerRun: 2,
  clockSkewMsMax: 1_000,
  clockDriftPpmMax: 100,
});

/** The everyday profile: every fault kind happens a few times per run. */
const DEFAULT: FaultRates = Object.freeze({
  dropProbability: 0.05,
  duplicateProbability: 0.05,
  replyLossProbability: 0.03,
  latencyMsMin: 5,
  latencyMsMax: 200,
  storagePutFailProbability: 0.1,
  storageLostReplyProbability: 0.05,
  storageLatencyMsMin: 5,
  storageLatencyMsMax: 400,
  partitionsPerRun: 3,
  clockSkewsPerRun: 4,
  clockJumpsPerRun: 2,
  gatewayRestartsPerRun: 1,
  clientRestartsPerRun: 3,
  offlinePeriodsPerRun: 4,
  clockSkewMsMax: 3_000,
  clockDriftPpmMax: 500,
});

/** Everything, often: skews beyond the 5 s drift limit, slow storage, repeated restarts. */
const CHAOS: FaultRates = Object.freeze({
  dropProbability: 0.2,
  duplicateProbability: 0.15,
  replyLossProbability: 0.1,
  latencyMsMin: 1,
  latencyMsMax: 1_000,
  storagePutFailProbability: 0.25,
  storageLostReplyProbability: 0.1,
  storageLatencyMsMin: 1,
  storageLatencyMsMax: 3_000,
  partitionsPerRun: 8,
  clockSkewsPerRun: 10,
  clockJumpsPerRun: 6,
  gatewayRestartsPerRun: 4,
  clientRestartsPerRun: 10,
  offlinePeriodsPerRun: 10,
  clockSkewMsMax: 10_000,
  clockDriftPpmMax: 5_000,
  outboxFailProbability: 0.05,
  outboxLatencyMsMax: 40,
});

/**
 * The everyday faults with long offline periods: together with a small log retention (see
 * `reachConfig`) a client that comes back finds its cursor trimmed and needs a snapshot.
 * Clocks stay inside the drift limit, so every client stays within the progress oracle's bounds
 * outside its outages.
 */
const TRIM: FaultRates = Object.freeze({
  ...DEFAULT,
  partitionsPerRun: 2,
  clockSkewsPerRun: 3,
  clockJumpsPerRun: 1,
  gatewayRestartsPerRun: 1,
  clientRestartsPerRun: 2,
  offlinePeriodsPerRun: 6,
});

/**
 * The everyday faults plus the two ways a client id outlives its outbox (ADR-021):
 * reincarnations — clients that come back with their outbox wiped but their id kept, their clock
 * behind the watermark their earlier outbox left — and restores from backup — clients that come
 * back with their outbox rolled back to a checkpoint taken while some of its writes were unsent,
 * which the lost process had pushed since. Two faults are left out, because with a wiped or
 * rolled-back outbox they lose data legitimately and the oracles could not tell it from a bug:
 * gateway restarts (a write the gateway had accepted but not flushed is gone, though other
 * replicas pulled it) and second loops (a second loop restamping while the first one writes is a
 * race ADR-021 leaves open).
 */
const REINCARNATION: FaultRates = Object.freeze({
  ...DEFAULT,
  // Clock skews and jumps stay in: they re-set a reincarnated clock mid-way, so that its writes
  // before first contact straddle the watermark, which only the first round's pull-first step
  // catches (ADR-021).
  gatewayRestartsPerRun: 0,
  secondLoopsPerRun: 0,
  reincarnationsPerRun: 3,
  backupRestoresPerRun: 3,
});

/**
 * The fault rates of a named profile. `swarm` (swarm testing) draws every rate independently from
 * `prng` — the seed's `faults/swarm` stream — between 0 and its `chaos` value, each probability
 * being switched off entirely half of the time, so different seeds stress different fault mixes.
 * Without a `prng`, `swarm` returns its ceilings (the `chaos` rates). Profiles are frozen objects.
 */
export function faultProfile(name: FaultProfileName, prng?: Prng): FaultRates {
  switch (name) {
    case 'none':
      return NONE;
    case 'calm':
      return CALM;
    case 'default':
      return DEFAULT;
    case 'chaos':
      return CHAOS;
    case 'trim':
      return TRIM;
    case 'reincarnation':
      return REINCARNATION;
    case 'swarm':
      return prng === undefined ? CHAOS : drawSwarmRates(prng);
    default:
      return unreachable(name, 'unknown fault profile');
  }
}

/** Per-seed rates for `swarm`, drawn in the fixed field order below (the stream stays aligned). */
function drawSwarmRates(prng: Prng): FaultRates {
  const probability = (ceiling: number): number =>
    prng.chance(0.5) ? 0 : Math.floor(prng.fraction() * ceiling * 1_000) / 1_000;
  const count = (ceiling: number): number => prng.between(0, ceiling);
  const latencyMsMin = prng.between(0, 50);
  const storageLatencyMsMin = prng.between(0, 50);
  return Object.freeze({
    dropProbability: probability(CHAOS.dropProbability),
    duplicateProbability: probability(CHAOS.duplicateProbability),
    replyLossProbability: probability(CHAOS.replyLossProbability),
    latencyMsMin,
    latencyMsMax: latencyMsMin + prng.between(0, CHAOS.latencyMsMax),
    storagePutFailProbability: probability(CHAOS.storagePutFailProbability),
    storageLostReplyProbability: probability(CHAOS.storageLostReplyProbability),
    storageLatencyMsMin,
    storageLatencyMsMax: storageLatencyMsMin + prng.between(0, CHAOS.storageLatencyMsMax),
    partitionsPerRun: count(CHAOS.partitionsPerRun),
    clockSkewsPerRun: count(CHAOS.clockSkewsPerRun),
    clockJumpsPerRun: count(CHAOS.clockJumpsPerRun),
    gatewayRestartsPerRun: count(CHAOS.gatewayRestartsPerRun),
    clientRestartsPerRun: count(CHAOS.clientRestartsPerRun),
    offlinePeriodsPerRun: count(CHAOS.offlinePeriodsPerRun),
    clockSkewMsMax: prng.between(0, CHAOS.clockSkewMsMax),
    clockDriftPpmMax: prng.between(0, CHAOS.clockDriftPpmMax),
    // Drawn last, so that every earlier rate of a seed stays what it was before this knob existed.
    outboxFailProbability: probability(CHAOS.outboxFailProbability ?? 0),
    outboxLatencyMsMax: prng.chance(0.5) ? 0 : prng.between(0, CHAOS.outboxLatencyMsMax ?? 0),
  });
}
