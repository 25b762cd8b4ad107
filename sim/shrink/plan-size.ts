import type { Plan } from '../types';
import { SHRINKABLE_RATE_KEYS } from './fault-rate-keys';

/** How big a plan is, on the axes the shrinker reduces. */
export interface PlanSize {
  readonly clients: number;
  readonly events: number;
  readonly writes: number;
  readonly faultEvents: number;
  readonly durationMs: number;
  readonly healMs: number;
  /** Fault rates that are not zero. */
  readonly faultRates: number;
}

/** Measures `plan`. */
export function planSize(plan: Plan): PlanSize {
  const writes = plan.events.filter((event) => event.kind === 'write').length;
  return {
    clients: plan.config.clients,
    events: plan.events.length,
    writes,
    faultEvents: plan.events.length - writes,
    durationMs: plan.config.durationMs,
    healMs: plan.config.healMs,
    faultRates: SHRINKABLE_RATE_KEYS.filter((key) => (plan.config.faults[key] ?? 0) !== 0).length,
  };
}

/** One line, e.g. `4 clients, 120 events (100 writes, 20 faults), 60000+30000 ms, 1 fault rate`. */
export function describePlanSize(size: PlanSize): string {
  return (
    `${count(size.clients, 'client')}, ${count(size.events, 'event')} (${count(size.writes, 'write')}, ` +
    `${count(size.faultEvents, 'fault')}), ${size.durationMs}+${size.healMs} ms, ` +
    `${count(size.faultRates, 'fault rate')}`
  );
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
