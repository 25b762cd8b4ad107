import { createPrng } from '../engine/prng';
import { faultProfile } from '../faults/profiles';
import { reachConfig } from '../faults/reach-profiles';
import type { FaultRates, SimConfig } from '../types';
import { SIM_GATEWAY_OPTIONS } from '../world/node-options';

/** What `defaultSimConfig` accepts: any config field, and individual fault rates. */
export type SimConfigOverrides = Partial<Omit<SimConfig, 'seed' | 'faults'>> & {
  readonly faults?: Partial<FaultRates>;
};

/**
 * The default scenario: 20 clients writing 10 times a second between them, 60 s of faults then
 * at least 60 s of healing (longer when the fault rates need it: see `minimumHealMs`). Sized so
 * that a run takes a fraction of a wall second (see the benchmark).
 */
export const DEFAULT_SIM_CONFIG: Omit<SimConfig, 'seed' | 'faults'> = Object.freeze({
  clients: 20,
  tables: Object.freeze(['todos', 'notes', 'tags']),
  rowsPerTable: 40,
  hotRows: 4,
  durationMs: 60_000,
  healMs: 60_000,
  writesPerClientPerSecond: 0.5,
  faultProfile: 'default',
});

/**
 * Virtual time the heal phase needs beyond the clock and recovery allowances of `minimumHealMs`:
 * a gateway restart still down (5 s), a flush by age and its retries, a few capped client
 * backoffs and request timeouts.
 */
export const HEAL_MS_MARGIN = 30_000;

/** Estimated bytes of one delta in an envelope, to estimate how many envelopes a run writes. */
const ENVELOPE_BYTES_PER_DELTA = 400;

/** Sequential reads of uniform latency sum to about mean × count; this covers their spread. */
const RECOVERY_HEADROOM = 1.25;

/** The write load a run puts on the gateway, which sets how many envelopes recovery must read. */
export interface WriteLoad {
  readonly clients: number;
  readonly writesPerClientPerSecond: number;
}

/**
 * The shortest heal phase in which a correct system settles, for these fault rates, this fault
 * phase and this write load (default: `DEFAULT_SIM_CONFIG`'s). It covers:
 * - clocks: a client may end the fault phase `clockSkewMsMax` ahead of true time plus what drift
 *   added (forward jumps are trimmed to keep that bound); its HLC stays there, and the gateway
 *   accepts its writes once true time is within 5 s of them;
 * - gateway recovery: a restarted gateway reads every envelope of the lake, one at a time, before
 *   serving (`recoverFromLake`), so allow the mean storage latency, with `RECOVERY_HEADROOM`,
 *   for each envelope the run may have written (plus the listing);
 * - `HEAL_MS_MARGIN` for everything else.
 * Heal phases shorter than this may fail the liveness oracle without any bug.
 */
export function minimumHealMs(
  faults: FaultRates,
  durationMs: number,
  load: WriteLoad = DEFAULT_SIM_CONFIG,
): number {
  const driftMs = Math.ceil((faults.clockDriftPpmMax * durationMs) / 1_000_000);
  const meanLatencyMs = (faults.storageLatencyMsMin + faults.storageLatencyMsMax) / 2;
  const reads = envelopesWritten(durationMs, load) + 2;
  const recoveryMs = Math.ceil(reads * meanLatencyMs * RECOVERY_HEADROOM);
  return faults.clockSkewMsMax + driftMs + recoveryMs + HEAL_MS_MARGIN;
}

/**
 * Envelopes a run may write over `durationMs`: one per `flushAgeMs` when writes trickle in, one
 * per `flushBytesThreshold` when they pour in (a flush by size restarts the age clock).
 */
function envelopesWritten(durationMs: number, load: WriteLoad): number {
  const flushAgeMs = SIM_GATEWAY_OPTIONS.flushAgeMs ?? 1;
  const flushBytes = SIM_GATEWAY_OPTIONS.flushBytesThreshold ?? 1;
  const deltas = (load.clients * load.writesPerClientPerSecond * durationMs) / 1_000;
  const bySize = Math.ceil((deltas * ENVELOPE_BYTES_PER_DELTA) / flushBytes);
  return Math.max(Math.ceil(durationMs / flushAgeMs), bySize);
}

/**
 * The config of seed `seed`: `DEFAULT_SIM_CONFIG` with `overrides` applied. Fault rates come from
 * the chosen profile (`swarm` draws them from the seed's `faults/swarm` stream), then any
 * individual rates in `overrides.faults` replace the profile's. Unless `overrides.healMs` is
 * given, the heal phase is the longer of the default 60 s and `minimumHealMs`. Pure: the same
 * arguments give the same config.
 */
export function defaultSimConfig(seed: number, overrides: SimConfigOverrides = {}): SimConfig {
  const { faults: faultOverrides, ...rest } = overrides;
  const base = { ...DEFAULT_SIM_CONFIG, ...rest };
  const profile = faultProfile(base.faultProfile, createPrng(seed, 'faults/swarm'));
  const faults = { ...profile, ...faultOverrides };
  const floorMs = minimumHealMs(faults, base.durationMs, base);
  const healMs = rest.healMs ?? Math.max(DEFAULT_SIM_CONFIG.healMs, floorMs);
  // Reach settings (ADR-017) come from their own stream, so the draws above stay as they were.
  const reach =
    rest.reach ?? reachConfig(base.faultProfile, createPrng(seed, 'faults/reach'), base);
  return { ...base, healMs, seed, faults, ...(reach === undefined ? {} : { reach }) };
}
