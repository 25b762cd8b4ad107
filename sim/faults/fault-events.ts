import type { Prng } from '../engine/prng';
import type { PlanEvent, SimConfig } from '../types';

/** Shortest and longest partition or offline period, before clipping to the fault phase. */
export const OUTAGE_MS_MIN = 500;
export const OUTAGE_MS_MAX = 15_000;
/** Shortest and longest time a restarted node stays down. */
export const DOWN_MS_MIN = 100;
export const DOWN_MS_MAX = 5_000;
/**
 * How far behind its id's accepted watermark a reincarnated client's clock comes back, and how
 * long it then stays offline. The smallest setback is far above the longest downtime plus the
 * longest offline period plus a capped retry delay (and a partition or two), so every write
 * before its first reply stamps below the watermark: the case the client detects exactly (see
 * ADR-021 for writes that straddle it).
 */
export const REINCARNATION_CLOCK_BACK_MS_MIN = 60_000;
export const REINCARNATION_CLOCK_BACK_MS_MAX = 90_000;
export const REINCARNATION_OFFLINE_MS_MIN = 1_000;
export const REINCARNATION_OFFLINE_MS_MAX = 8_000;
/**
 * How long after its checkpoint a restored client dies (long enough, usually, for it to push what
 * the backup holds as pending and make later edits), and how long it stays offline once back (its
 * writes meanwhile are stamped before it hears the gateway's watermark). A restore is clipped to
 * die inside the fault phase.
 */
export const RESTORE_AFTER_MS_MIN = 1_000;
export const RESTORE_AFTER_MS_MAX = 20_000;
export const RESTORE_OFFLINE_MS_MAX = 6_000;

/**
 * A count with mean `expected`, drawn as a binomial of `4 × ceil(expected) + 4` trials (Poisson-ish
 * without `Math.exp`): usually near the mean, sometimes 0, sometimes about double.
 */
export function drawCount(prng: Prng, expected: number): number {
  if (!(expected > 0)) return 0;
  const trials = 4 * Math.ceil(expected) + 4;
  const probability = expected / trials;
  let count = 0;
  for (let trial = 0; trial < trials; trial++) if (prng.chance(probability)) count++;
  return count;
}

/**
 * Draws the scheduled fault events of a plan from the `faults` stream, kind by kind in a fixed
 * order (partitions, offline periods, clock skews, clock jumps, gateway restarts, client
 * restarts), so a plan is a pure function of the config. Every event starts inside the fault
 * phase; partitions and offline periods also end inside it (the heal phase is quiet). Restarts may
 * still be down when the heal phase begins; they come back during it. Forward clock jumps are
 * trimmed so that no client clock runs more than `clockSkewMsMax` ahead of true time (plus drift),
 * which keeps `minimumHealMs` a true bound.
 *
 * Reach settings (ADR-017): `reach.offlineMsMin/Max` replace the outage bounds of offline periods;
 * a `client` focus aims every per-client event at that client; a `window` focus starts (and ends)
 * every event inside the window. Without `reach` the plan is exactly as before.
 */
export function drawFaultEvents(config: SimConfig, prng: Prng): PlanEvent[] {
  const { faults, durationMs, clients } = config;
  const events: PlanEvent[] = [];
  if (durationMs <= 0 || clients <= 0) return events;
  const focus = config.reach?.focus;
  const window =
    focus?.kind === 'window'
      ? { fromMs: focus.fromMs, toMs: Math.min(focus.toMs, durationMs) }
      : { fromMs: 0, toMs: durationMs };
  const focusClient = focus?.kind === 'client' && focus.client < clients ? focus.client : null;
  const draw: Draw = {
    prng,
    startMs: () => window.fromMs + prng.below(Math.max(1, window.toMs - window.fromMs)),
    client: () => {
      const drawn = prng.below(clients);
      return focusClient ?? drawn;
    },
  };
  const outageMs = (atMs: number, minMs = OUTAGE_MS_MIN, maxMs = OUTAGE_MS_MAX): number =>
    Math.max(1, Math.min(prng.between(minMs, maxMs), window.toMs - atMs));
  const offlineMinMs = config.reach?.offlineMsMin ?? OUTAGE_MS_MIN;
  const offlineMaxMs = Math.max(offlineMinMs, config.reach?.offlineMsMax ?? OUTAGE_MS_MAX);

  for (let n = drawCount(prng, faults.partitionsPerRun); n > 0; n--) {
    const atMs = draw.startMs();
    const durationOfOutage = outageMs(atMs);
    const drawnGroup = drawGroup(prng, clients);
    const group = focusClient === null ? drawnGroup : [focusClient];
    events.push({
      kind: 'partition',
      atMs,
      durationMs: durationOfOutage,
      clients: group,
      direction: drawDirection(prng),
    });
  }
  for (let n = drawCount(prng, faults.offlinePeriodsPerRun); n > 0; n--) {
    const atMs = draw.startMs();
    const durationOfOutage = outageMs(atMs, offlineMinMs, offlineMaxMs);
    events.push({ kind: 'offline', atMs, durationMs: durationOfOutage, client: draw.client() });
  }
  for (const event of drawClockEvents(draw, config)) events.push(event);
  boundForwardOffsets(events, faults.clockSkewMsMax);
  for (let n = drawCount(prng, faults.gatewayRestartsPerRun); n > 0; n--) {
    events.push({
      kind: 'gateway-restart',
      atMs: draw.startMs(),
      downMs: prng.between(DOWN_MS_MIN, DOWN_MS_MAX),
    });
  }
  for (let n = drawCount(prng, faults.clientRestartsPerRun); n > 0; n--) {
    const atMs = draw.startMs();
    const client = draw.client();
    events.push({
      kind: 'client-restart',
      atMs,
      client,
      downMs: prng.between(DOWN_MS_MIN, DOWN_MS_MAX),
    });
  }
  for (const event of drawReincarnations(draw, config)) events.push(event);
  for (const event of drawBackupRestores(draw, config)) events.push(event);
  return events;
}

/**
 * Restores from backup (ADR-021), drawn after everything else so that profiles without them draw
 * exactly as before: a checkpoint at `atMs`, the crash `restoreAfterMs` later (inside the fault
 * phase), back after `downMs`, then offline for `offlineMs` (ending inside the fault phase).
 */
function drawBackupRestores(draw: Draw, config: SimConfig): PlanEvent[] {
  const { prng } = draw;
  const events: PlanEvent[] = [];
  for (let n = drawCount(prng, config.faults.backupRestoresPerRun ?? 0); n > 0; n--) {
    const atMs = draw.startMs();
    const client = draw.client();
    const afterDrawnMs = prng.between(RESTORE_AFTER_MS_MIN, RESTORE_AFTER_MS_MAX);
    const restoreAfterMs = Math.max(0, Math.min(afterDrawnMs, config.durationMs - atMs - 1));
    const downMs = prng.between(DOWN_MS_MIN, DOWN_MS_MAX);
    const offlineDrawnMs = prng.between(0, RESTORE_OFFLINE_MS_MAX);
    const backMs = atMs + restoreAfterMs + downMs;
    const offlineMs = Math.max(0, Math.min(offlineDrawnMs, config.durationMs - backMs));
    events.push({ kind: 'backup-restore', atMs, client, restoreAfterMs, downMs, offlineMs });
  }
  return events;
}

/**
 * Reincarnations (ADR-021), drawn last so that profiles without them draw exactly as before: a
 * restart with the outbox wiped, the clock behind the id's watermark and an offline period that
 * ends inside the fault phase.
 */
function drawReincarnations(draw: Draw, config: SimConfig): PlanEvent[] {
  const { prng } = draw;
  const events: PlanEvent[] = [];
  for (let n = drawCount(prng, config.faults.reincarnationsPerRun ?? 0); n > 0; n--) {
    const atMs = draw.startMs();
    const client = draw.client();
    const downMs = prng.between(DOWN_MS_MIN, DOWN_MS_MAX);
    const clockBackMs = prng.between(
      REINCARNATION_CLOCK_BACK_MS_MIN,
      REINCARNATION_CLOCK_BACK_MS_MAX,
    );
    const offlineDrawnMs = prng.between(REINCARNATION_OFFLINE_MS_MIN, REINCARNATION_OFFLINE_MS_MAX);
    const offlineMs = Math.max(0, Math.min(offlineDrawnMs, config.durationMs - atMs - downMs));
    events.push({ kind: 'reincarnation', atMs, client, downMs, clockBackMs, offlineMs });
  }
  return events;
}

/** The draws shared by every kind of fault event. */
interface Draw {
  readonly prng: Prng;
  readonly startMs: () => number;
  readonly client: () => number;
}

/** Clock skews (offset and drift), then clock jumps — mostly backwards, as NTP steps clocks. */
function drawClockEvents(draw: Draw, config: SimConfig): PlanEvent[] {
  const { prng } = draw;
  const { clockSkewMsMax: skewMax, clockDriftPpmMax: driftMax } = config.faults;
  const events: PlanEvent[] = [];
  for (let n = drawCount(prng, config.faults.clockSkewsPerRun); n > 0; n--) {
    const atMs = draw.startMs();
    const client = draw.client();
    const skewMs = prng.between(-skewMax, skewMax);
    events.push({
      kind: 'clock-skew',
      atMs,
      client,
      skewMs,
      driftPpm: prng.between(-driftMax, driftMax),
    });
  }
  for (let n = drawCount(prng, config.faults.clockJumpsPerRun); n > 0; n--) {
    const atMs = draw.startMs();
    const client = draw.client();
    const backwards = prng.chance(0.75);
    const magnitude = prng.between(1, Math.max(1, skewMax));
    events.push({ kind: 'clock-jump', atMs, client, jumpMs: backwards ? -magnitude : magnitude });
  }
  return events;
}

/** One client half of the time, otherwise a group of 2 … ceil(n / 2) distinct clients, sorted. */
function drawGroup(prng: Prng, clients: number): number[] {
  if (clients === 1 || prng.chance(0.5)) return [prng.below(clients)];
  const size = prng.between(2, Math.max(2, Math.ceil(clients / 2)));
  const pool = Array.from({ length: clients }, (_, index) => index);
  for (let index = 0; index < size; index++) {
    const swap = index + prng.below(clients - index);
    const chosen = pool[swap] as number;
    pool[swap] = pool[index] as number;
    pool[index] = chosen;
  }
  return pool.slice(0, size).sort((a, b) => a - b);
}

function drawDirection(prng: Prng): 'both' | 'to-gateway' | 'from-gateway' {
  const roll = prng.below(10);
  return roll < 6 ? 'both' : roll < 8 ? 'to-gateway' : 'from-gateway';
}

/**
 * Walks each client's clock events in time order and trims forward jumps so that skew plus jumps
 * never put the clock more than `skewMax` ahead of true time (drift comes on top; see
 * `minimumHealMs`). A jump trimmed to nothing becomes a 1 ms backward step, so it still happens.
 */
function boundForwardOffsets(events: PlanEvent[], skewMax: number): void {
  const offsets = new Map<number, number>();
  const order = events
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => event.kind === 'clock-skew' || event.kind === 'clock-jump')
    .sort((a, b) => a.event.atMs - b.event.atMs || a.index - b.index);
  for (const { event, index } of order) {
    if (event.kind === 'clock-skew') {
      offsets.set(event.client, event.skewMs);
    } else if (event.kind === 'clock-jump') {
      const offset = offsets.get(event.client) ?? 0;
      const trimmed = Math.min(event.jumpMs, skewMax - offset);
      const jumpMs = trimmed === 0 ? -1 : trimmed;
      if (jumpMs !== event.jumpMs) events[index] = { ...event, jumpMs };
      offsets.set(event.client, offset + jumpMs);
    }
  }
}
