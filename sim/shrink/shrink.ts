import type { Plan } from '../types';
import { ddmin } from './ddmin';
import { FAULT_RATE_KEYS } from './fault-rate-keys';
import { keepClients, keepEvents, withDurationMs, withHealMs, withRateZero } from './plan-edits';
import { type PlanSize, planSize } from './plan-size';
import { Probe, type StillFails } from './probe';

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

/** What a shrink did: the smallest failing plan found, the runs it took, the sizes before and after. */
export interface ShrinkReport {
  readonly plan: Plan;
  readonly runs: number;
  readonly before: PlanSize;
  readonly after: PlanSize;
  /** True when the budget ran out before a full pass found nothing more to remove. */
  readonly exhausted: boolean;
}

type Strategy = (plan: Plan, probe: Probe, options: ShrinkOptions) => Promise<Plan>;

/**
 * Shrinks a failing plan while `stillFails` holds (the caller's predicate: it still fails, on the
 * same oracle). Strategies, in order, repeated until a whole pass removes nothing or the budget is
 * spent: drop clients (renumbering the rest), delta-debug the events (halves, quarters, … single
 * events), shorten the fault and heal phases, set fault rates to zero one at a time, cut each
 * client's writes short. Deterministic: no randomness, a fixed order, and a predicate assumed
 * deterministic give the same result every time. The seed is kept.
 *
 * The input `plan` is assumed to fail and is not run again; the result always fails (it is either
 * the input or a candidate the predicate confirmed).
 */
export async function shrinkPlan(
  plan: Plan,
  stillFails: StillFails,
  options: Partial<ShrinkOptions> = {},
): Promise<ShrinkReport> {
  const bounds: ShrinkOptions = { ...DEFAULT_SHRINK_OPTIONS, ...options };
  const probe = new Probe(stillFails, bounds.shrinkRunsMax);
  const strategies: readonly Strategy[] = [
    dropClients,
    removeEvents,
    shortenPhases,
    zeroFaultRates,
    truncateWrites,
  ];
  let current = plan;
  let progressed = true;
  while (progressed && !probe.exhausted) {
    progressed = false;
    for (const strategy of strategies) {
      const next = await strategy(current, probe, bounds);
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
  };
}

async function dropClients(plan: Plan, probe: Probe): Promise<Plan> {
  const clients = Array.from({ length: plan.config.clients }, (_, index) => index);
  const kept = await ddmin(clients, (subset) => probe.fails(keepClients(plan, new Set(subset))), {
    minimumKept: 1,
    stopped: () => probe.exhausted,
  });
  return kept.length === clients.length ? plan : keepClients(plan, new Set(kept));
}

async function removeEvents(plan: Plan, probe: Probe): Promise<Plan> {
  const positions = plan.events.map((_, position) => position);
  const kept = await ddmin(positions, (subset) => probe.fails(keepEvents(plan, new Set(subset))), {
    stopped: () => probe.exhausted,
  });
  return kept.length === positions.length ? plan : keepEvents(plan, new Set(kept));
}

async function shortenPhases(plan: Plan, probe: Probe, options: ShrinkOptions): Promise<Plan> {
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
  for (;;) {
    const floor =
      typeof options.healMsFloor === 'number' ? options.healMsFloor : options.healMsFloor(current);
    const healMs = Math.max(floor, Math.floor(current.config.healMs / 2));
    if (healMs >= current.config.healMs) break;
    const candidate = withHealMs(current, healMs);
    if (!(await probe.fails(candidate))) break;
    current = candidate;
  }
  return current;
}

async function zeroFaultRates(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  for (const key of FAULT_RATE_KEYS) {
    if (current.config.faults[key] === 0 || probe.exhausted) continue;
    const candidate = withRateZero(current, key);
    if (await probe.fails(candidate)) current = candidate;
  }
  return current;
}

/** Cuts each client's writes to their first half, repeatedly, while the plan still fails. */
async function truncateWrites(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  for (let client = 0; client < current.config.clients; client++) {
    for (;;) {
      const writes: number[] = [];
      current.events.forEach((event, position) => {
        if (event.kind === 'write' && event.client === client) writes.push(position);
      });
      if (writes.length === 0 || probe.exhausted) break;
      const dropped = new Set(writes.slice(Math.floor(writes.length / 2)));
      const kept = new Set(
        current.events.map((_, position) => position).filter((p) => !dropped.has(p)),
      );
      const candidate = keepEvents(current, kept);
      if (!(await probe.fails(candidate))) break;
      current = candidate;
    }
  }
  return current;
}
