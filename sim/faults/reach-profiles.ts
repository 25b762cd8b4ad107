import type { Prng } from '../engine/prng';
import type { FaultFocus, FaultProfileName, ReachConfig, TriggerName } from '../types';

/** Every protocol event a fault can be armed on, in a fixed order (coverage lists them all). */
export const TRIGGER_NAMES: readonly TriggerName[] = [
  'after-snapshot-page',
  'recovery-read',
  'envelope-landed',
  'claim-before-send',
];

/** Log retention of the `trim` profile (and of swarm seeds that draw a small one). */
export const TRIM_RETAIN_MIN = 50;
export const TRIM_RETAIN_MAX = 200;
/** Snapshot and log pages of the `trim` and `chaos` profiles: a snapshot of the run's rows takes several. */
export const SMALL_PAGE_DELTAS = 40;
/** Long offline periods: a client away this long finds its cursor below the trimmed floor. */
export const LONG_OFFLINE_MS_MIN = 8_000;
export const LONG_OFFLINE_MS_MAX = 25_000;
/** A swarm window focus lasts between these (ms). */
export const FOCUS_WINDOW_MS_MIN = 2_000;
export const FOCUS_WINDOW_MS_MAX = 8_000;

/**
 * Highest chance per protocol event that a fault is armed on it. The per-event counts differ by
 * orders of magnitude (a few gateway opens per run, hundreds of pushes), so the ceilings do too:
 * each trigger should fire a few times per run, not wreck every round. (`after-snapshot-page`
 * fires at most once per gateway instance: the restart it causes sends every client a snapshot.)
 */
export const TRIGGER_CEILINGS: Readonly<Record<TriggerName, number>> = Object.freeze({
  'after-snapshot-page': 0.3,
  'recovery-read': 0.8,
  'envelope-landed': 0.2,
  'claim-before-send': 0.01,
});

/** The scenario size the reach draws depend on. */
export interface ReachShape {
  readonly durationMs: number;
  readonly clients: number;
  readonly writesPerClientPerSecond: number;
}

/**
 * The `trim` profile's retention range for a run's write load: at most a quarter of the deltas the
 * run writes (so the log trims several times even in a small scenario), within
 * `TRIM_RETAIN_MIN..TRIM_RETAIN_MAX` for the default scenario (about 600 deltas → 50–150), never
 * below 10.
 */
export function trimRetainRange(shape: ReachShape): { min: number; max: number } {
  const deltas = (shape.clients * shape.writesPerClientPerSecond * shape.durationMs) / 1_000;
  const max = Math.max(20, Math.min(TRIM_RETAIN_MAX, Math.round(deltas / 4)));
  return { min: Math.max(10, Math.min(TRIM_RETAIN_MIN, Math.round(max / 3))), max };
}

/**
 * The reach settings of a profile (ADR-017), drawn from `prng` (the seed's `faults/reach`
 * stream, so the `faults/swarm` draws stay as they were):
 * - `none`, `calm`, `default`, `reincarnation`: nothing (the gateway keeps the simulator's retention, no triggers);
 * - `chaos`: a retention of 200, small pages and every trigger at its ceiling;
 * - `trim`: a small retention (`trimRetainRange`: 50–150 in the default scenario), small pages,
 *   long offline periods, `after-snapshot-page` at its ceiling and every other trigger at half
 *   its ceiling;
 * - `swarm`: each setting on half of the time (retention 50–300 with small pages, long offline, each trigger between
 *   0 and its ceiling), and a focus — one client, or one short window — a third of the time each.
 */
export function reachConfig(
  profile: FaultProfileName,
  prng: Prng,
  shape: ReachShape,
): ReachConfig | undefined {
  switch (profile) {
    case 'none':
    case 'calm':
    case 'default':
    case 'reincarnation':
      return undefined;
    case 'chaos':
      return Object.freeze({
        logRetainMax: TRIM_RETAIN_MAX,
        pageDeltasMax: SMALL_PAGE_DELTAS,
        triggers: TRIGGER_CEILINGS,
      });
    case 'trim': {
      const retain = trimRetainRange(shape);
      return Object.freeze({
        logRetainMax: prng.between(retain.min, retain.max),
        pageDeltasMax: SMALL_PAGE_DELTAS,
        offlineMsMin: LONG_OFFLINE_MS_MIN,
        offlineMsMax: LONG_OFFLINE_MS_MAX,
        triggers: {
          ...halfCeilings(),
          'after-snapshot-page': TRIGGER_CEILINGS['after-snapshot-page'],
        },
      });
    }
    case 'swarm':
      return drawSwarmReach(prng, shape);
  }
}

function halfCeilings(): Partial<Record<TriggerName, number>> {
  const triggers: Partial<Record<TriggerName, number>> = {};
  for (const name of TRIGGER_NAMES) triggers[name] = TRIGGER_CEILINGS[name] / 2;
  return Object.freeze(triggers);
}

/** Per-seed reach for `swarm`, drawn in a fixed order so the stream stays aligned. */
function drawSwarmReach(prng: Prng, shape: ReachShape): ReachConfig {
  const retain = prng.chance(0.5) ? prng.between(TRIM_RETAIN_MIN, 300) : null;
  const longOffline = prng.chance(0.5);
  const triggers: Partial<Record<TriggerName, number>> = {};
  for (const name of TRIGGER_NAMES) {
    const on = prng.chance(0.5);
    const level = Math.floor(prng.fraction() * TRIGGER_CEILINGS[name] * 1_000) / 1_000;
    if (on && level > 0) triggers[name] = level;
  }
  const focus = drawFocus(prng, shape);
  return Object.freeze({
    ...(retain === null ? {} : { logRetainMax: retain, pageDeltasMax: SMALL_PAGE_DELTAS }),
    ...(longOffline
      ? { offlineMsMin: LONG_OFFLINE_MS_MIN, offlineMsMax: LONG_OFFLINE_MS_MAX }
      : {}),
    triggers: Object.freeze(triggers),
    ...(focus === null ? {} : { focus }),
  });
}

function drawFocus(prng: Prng, shape: ReachShape): FaultFocus | null {
  const roll = prng.below(3);
  const client = prng.below(Math.max(1, shape.clients));
  const lengthMs = prng.between(FOCUS_WINDOW_MS_MIN, FOCUS_WINDOW_MS_MAX);
  const fromMs = prng.below(Math.max(1, shape.durationMs - lengthMs));
  if (roll === 0 && shape.clients > 1) return { kind: 'client', client };
  if (roll === 1 && shape.durationMs > lengthMs)
    return { kind: 'window', fromMs, toMs: fromMs + lengthMs };
  return null;
}
