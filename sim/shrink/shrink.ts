import type { Plan } from '../types';
import { ddmin } from './ddmin';
import { SHRINKABLE_RATE_KEYS } from './fault-rate-keys';
import { keepClients, keepEvents, withDurationMs, withHealMs, withRateZero } from './plan-edits';
import { type PlanSize, planSize } from './plan-size';
import { Probe, type StillFails } from './probe';
import { simplifyReach, tightenBounds } from './reach-stage';

/** Bounds of one shrink. */
export interface ShrinkOptions {
  /** Most predicate runs spent (distinct candidate plans tried). */
  readonly shrinkRunsMax: number;
  /**
   * The heal phase is never shortened below this (a number, or a function of the candidate plan),
   * so that a liveness check keeps its meaning.
   */
  readonly healMsFloor: number | ((plan: Plan) => number);
  /** The fault phase is never shortened below this. */
  readonly durationMsFloor: number;
}

/** Defaults: 300 runs, as the CLI's `--shrink-runs`. */
export const DEFAULT_SHRINK_OPTIONS: ShrinkOptions = {
  shrinkRunsMax: 300,
  healMsFloor: 5_000,
  durationMsFloor: 100,
};

/** What one stage of the shrink did, for the report. */
export interface ShrinkStage {
  readonly name: StageName;
  /** Predicate runs the stage spent, over every pass. */
  readonly runs: number;
  /** Events it removed, over every pass. */
  readonly eventsRemoved: number;
}

/** What a shrink did: the smallest failing plan found, the runs it took, the sizes before and after. */
export interface ShrinkReport {
  readonly plan: Plan;
  readonly runs: number;
  readonly before: PlanSize;
  readonly after: PlanSize;
  /** True when the budget ran out before a full pass found nothing more to remove. */
  readonly exhausted: boolean;
  /** Per stage, in the order they run. */
  readonly stages?: readonly ShrinkStage[];
}

/** The stages, coarsest first (ADR-017). */
export type StageName =
  | 'clients'
  | 'faults'
  | 'reach'
  | 'bounds'
  | 'fault-phase'
  | 'heal'
  | 'fault-rates'
  | 'client-writes'
  | 'writes-per-client'
  | 'events';

type Strategy = (plan: Plan, probe: Probe, options: ShrinkOptions) => Promise<Plan>;

/**
 * Shrinks a failing plan while `stillFails` holds (the caller's predicate: it still fails, on the
 * same oracle). Hierarchical, coarsest first, so a multi-fault run loses its bulk in a few runs:
 *
 * 1. whole clients (delta debugging over clients, renumbering the rest);
 * 2. whole faults: every fault event (partition, offline period, skew, restart …) is one item of
 *    a delta-debugging pass over the faults alone, the writes left alone;
 * 3. reach settings: the fault focus, each state-triggered fault, then the small log retention;
 * 4. the log retention and page size, lowered along a ladder from their floors (a trim or a paged
 *    snapshot then needs fewer writes; see `tightenBounds` for why not plain halving);
 * 5. the fault phase: snug to its last event, then halved while it still fails;
 * 6. the heal phase, re-derived: straight to the floor for the candidate (`healMsFloor`), else halved;
 * 7. fault rates: all to zero at once, else one at a time;
 * 8. every write of whole clients (delta debugging over clients, who stay as readers);
 * 9. each client's writes halved (second half, else first half), repeatedly;
 * 10. single events (delta debugging over what is left).
 *
 * Repeated until a whole pass removes nothing or the budget is spent. Deterministic: no randomness,
 * a fixed order, and a predicate assumed deterministic give the same result every time. The seed is
 * kept. The input `plan` is assumed to fail and is not run again; the result always fails (it is
 * either the input or a candidate the predicate confirmed).
 */
export async function shrinkPlan(
  plan: Plan,
  stillFails: StillFails,
  options: Partial<ShrinkOptions> = {},
): Promise<ShrinkReport> {
  const bounds: ShrinkOptions = { ...DEFAULT_SHRINK_OPTIONS, ...options };
  const probe = new Probe(stillFails, bounds.shrinkRunsMax);
  const strategies: ReadonlyArray<readonly [StageName, Strategy]> = [
    ['clients', dropClients],
    ['faults', dropFaults],
    ['reach', simplifyReach],
    ['bounds', tightenBounds],
    ['fault-phase', shortenFaultPhase],
    ['heal', shortenHeal],
    ['fault-rates', zeroFaultRates],
    ['client-writes', dropClientWrites],
    ['writes-per-client', truncateWrites],
    ['events', removeEvents],
  ];
  const stages = new Map<StageName, { runs: number; eventsRemoved: number }>(
    strategies.map(([name]) => [name, { runs: 0, eventsRemoved: 0 }]),
  );
  let current = plan;
  let progressed = true;
  while (progressed && !probe.exhausted) {
    progressed = false;
    for (const [name, strategy] of strategies) {
      if (probe.exhausted) break;
      const runsBefore = probe.runs;
      const next = await strategy(current, probe, bounds);
      const stage = stages.get(name) as { runs: number; eventsRemoved: number };
      stage.runs += probe.runs - runsBefore;
      stage.eventsRemoved += current.events.length - next.events.length;
      if (next !== current) progressed = true;
      current = next;
    }
  }
  return {
    plan: current,
    runs: probe.runs,
    before: planSize(plan),
    after: planSize(current),
    exhausted: probe.exhausted,
    stages: strategies.map(([name]) => ({
      name,
      ...(stages.get(name) as { runs: number; eventsRemoved: number }),
    })),
  };
}

/** `events 640 → 12 in 143 runs (clients −300, faults −25, …)`: the report's one line. */
export function describeShrink(report: ShrinkReport): string {
  const parts = (report.stages ?? [])
    .filter((stage) => stage.eventsRemoved > 0)
    .map((stage) => `${stage.name} −${stage.eventsRemoved}`);
  const budget = report.exhausted ? ', budget spent' : '';
  return (
    `events ${report.before.events} → ${report.after.events} in ${report.runs} runs${budget}` +
    (parts.length > 0 ? ` (${parts.join(', ')})` : '')
  );
}

async function dropClients(plan: Plan, probe: Probe): Promise<Plan> {
  const clients = Array.from({ length: plan.config.clients }, (_, index) => index);
  const kept = await ddmin(clients, (subset) => probe.fails(keepClients(plan, new Set(subset))), {
    minimumKept: 1,
    stopped: () => probe.exhausted,
  });
  return kept.length === clients.length ? plan : keepClients(plan, new Set(kept));
}

/** Delta debugging over the fault events only; every write stays. */
async function dropFaults(plan: Plan, probe: Probe): Promise<Plan> {
  const writes: number[] = [];
  const faults: number[] = [];
  plan.events.forEach((event, position) => {
    (event.kind === 'write' ? writes : faults).push(position);
  });
  if (faults.length === 0) return plan;
  const candidate = (kept: readonly number[]): Plan =>
    keepEvents(plan, new Set([...writes, ...kept]));
  const kept = await ddmin(faults, (subset) => probe.fails(candidate(subset)), {
    stopped: () => probe.exhausted,
  });
  return kept.length === faults.length ? plan : candidate(kept);
}

/** Snugs the fault phase to its last event, then halves it while the plan still fails. */
async function shortenFaultPhase(plan: Plan, probe: Probe, options: ShrinkOptions): Promise<Plan> {
  let current = plan;
  const lastEventMs = current.events.reduce((latest, event) => Math.max(latest, event.atMs), -1);
  const snugMs = Math.max(options.durationMsFloor, Math.floor(lastEventMs) + 1);
  if (snugMs < current.config.durationMs) {
    const candidate = withDurationMs(current, snugMs);
    if (await probe.fails(candidate)) current = candidate;
  }
  for (;;) {
    const durationMs = Math.max(options.durationMsFloor, Math.floor(current.config.durationMs / 2));
    if (durationMs >= current.config.durationMs) break;
    const candidate = withDurationMs(current, durationMs);
    if (!(await probe.fails(candidate))) break;
    current = candidate;
  }
  return current;
}

/**
 * Re-derives the heal phase for what is left: first straight to the candidate's floor (fewer
 * faults and a shorter fault phase need less healing), else halving towards it.
 */
async function shortenHeal(plan: Plan, probe: Probe, options: ShrinkOptions): Promise<Plan> {
  let current = plan;
  const floorOf = (candidate: Plan): number =>
    typeof options.healMsFloor === 'number' ? options.healMsFloor : options.healMsFloor(candidate);
  const floor = floorOf(current);
  if (floor < current.config.healMs) {
    const candidate = withHealMs(current, floor);
    if (await probe.fails(candidate)) return candidate;
  }
  for (;;) {
    const healMs = Math.max(floorOf(current), Math.floor(current.config.healMs / 2));
    if (healMs >= current.config.healMs) break;
    const candidate = withHealMs(current, healMs);
    if (!(await probe.fails(candidate))) break;
    current = candidate;
  }
  return current;
}

/** Every non-zero fault rate to zero at once (one run), else one at a time. */
async function zeroFaultRates(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  const nonZero = SHRINKABLE_RATE_KEYS.filter((key) => (current.config.faults[key] ?? 0) !== 0);
  if (nonZero.length > 1) {
    const allZero = nonZero.reduce(withRateZero, current);
    if (await probe.fails(allZero)) return allZero;
  }
  for (const key of SHRINKABLE_RATE_KEYS) {
    if ((current.config.faults[key] ?? 0) === 0 || probe.exhausted) continue;
    const candidate = withRateZero(current, key);
    if (await probe.fails(candidate)) current = candidate;
  }
  return current;
}

/** Delta debugging over clients' write sets: a dropped client keeps syncing, writing nothing. */
async function dropClientWrites(plan: Plan, probe: Probe): Promise<Plan> {
  const writers = [
    ...new Set(plan.events.flatMap((event) => (event.kind === 'write' ? [event.client] : []))),
  ];
  if (writers.length <= 1) return plan;
  const candidate = (kept: readonly number[]): Plan => {
    const keep = new Set(kept);
    const positions = new Set<number>();
    plan.events.forEach((event, position) => {
      if (event.kind !== 'write' || keep.has(event.client)) positions.add(position);
    });
    return keepEvents(plan, positions);
  };
  const kept = await ddmin(writers, (subset) => probe.fails(candidate(subset)), {
    stopped: () => probe.exhausted,
  });
  return kept.length === writers.length ? plan : candidate(kept);
}

/**
 * Halves each client's writes while the plan still fails: drops the second half, or else the
 * first half, repeatedly.
 */
async function truncateWrites(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  for (let client = 0; client < current.config.clients; client++) {
    for (;;) {
      const writes: number[] = [];
      current.events.forEach((event, position) => {
        if (event.kind === 'write' && event.client === client) writes.push(position);
      });
      if (writes.length === 0 || probe.exhausted) break;
      const middle = Math.floor(writes.length / 2);
      const without = (dropped: ReadonlySet<number>): Plan =>
        keepEvents(
          current,
          new Set(current.events.map((_, position) => position).filter((p) => !dropped.has(p))),
        );
      const secondHalfGone = without(new Set(writes.slice(middle)));
      if (await probe.fails(secondHalfGone)) {
        current = secondHalfGone;
        continue;
      }
      if (middle === 0) break;
      const firstHalfGone = without(new Set(writes.slice(0, middle)));
      if (!(await probe.fails(firstHalfGone))) break;
      current = firstHalfGone;
    }
  }
  return current;
}

async function removeEvents(plan: Plan, probe: Probe): Promise<Plan> {
  const positions = plan.events.map((_, position) => position);
  const kept = await ddmin(positions, (subset) => probe.fails(keepEvents(plan, new Set(subset))), {
    stopped: () => probe.exhausted,
  });
  return kept.length === positions.length ? plan : keepEvents(plan, new Set(kept));
}
