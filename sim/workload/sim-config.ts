import { createPrng } from '../engine/prng';
import { faultProfile } from '../faults/profiles';
import type { FaultRates, SimConfig } from '../types';

/** What `defaultSimConfig` accepts: any config field, and individual fault rates. */
export type SimConfigOverrides = Partial<Omit<SimConfig, 'seed' | 'faults'>> & {
  readonly faults?: Partial<FaultRates>;
};

/**
 * The default scenario: 20 clients writing 10 times a second between them, 60 s of faults then
 * 60 s of healing. Sized so that a run takes a fraction of a wall second (see the benchmark).
 */
export const DEFAULT_SIM_CONFIG: Omit<SimConfig, 'seed' | 'faults'> = Object.freeze({
  clients: 20,
  tables: Object.freeze(['todos', 'notes', 'tags']),
  rowsPerTable: 40,
  hotRows: 4,
  durationMs: 60_000,
  /**
   * Long enough for everything to settle after the faults stop: a client clock skewed forward by
   * up to `clockSkewMsMax` (10 s in chaos) stamps writes the gateway refuses until true time is
   * within 5 s of them; then a flush (`flushAgeMs`), the flush retries, a sync round and the
   * client's capped backoff must fit. Chaos needs `minimumHealMs` = 10 s + 0.3 s + 30 s.
   */
  healMs: 60_000,
  writesPerClientPerSecond: 0.5,
  faultProfile: 'default',
});

/**
 * Virtual time the heal phase needs beyond the largest forward clock offset: a gateway restart
 * still down (5 s) and its recovery, a flush by age and its retries, a few capped client
 * backoffs and request timeouts. Heal phases shorter than `minimumHealMs` may fail the liveness
 * oracle without any bug.
 */
export const HEAL_MS_MARGIN = 30_000;

/**
 * The shortest heal phase in which a correct system always settles, for these fault rates and
 * this fault phase: a client clock may end the fault phase `clockSkewMsMax` ahead of true time
 * plus what drift added (forward jumps are trimmed to keep that bound), and its HLC stays there;
 * the gateway accepts its writes once true time is within 5 s of them.
 */
export function minimumHealMs(faults: FaultRates, durationMs: number): number {
  const driftMs = Math.ceil((faults.clockDriftPpmMax * durationMs) / 1_000_000);
  return faults.clockSkewMsMax + driftMs + HEAL_MS_MARGIN;
}

/**
 * The config of seed `seed`: `DEFAULT_SIM_CONFIG` with `overrides` applied. Fault rates come from
 * the chosen profile (`swarm` draws them from the seed's `faults/swarm` stream), then any
 * individual rates in `overrides.faults` replace the profile's. Pure: the same arguments give the
 * same config.
 */
export function defaultSimConfig(seed: number, overrides: SimConfigOverrides = {}): SimConfig {
  const { faults: faultOverrides, ...rest } = overrides;
  const base = { ...DEFAULT_SIM_CONFIG, ...rest };
  const profile = faultProfile(base.faultProfile, createPrng(seed, 'faults/swarm'));
  return { ...base, seed, faults: { ...profile, ...faultOverrides } };
}
