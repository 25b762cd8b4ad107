import type { FaultRates, Plan, PlanEvent, ReachConfig, SimConfig } from '../types';
import type { RequiredRateKey, ShrinkableRateKey } from './fault-rate-keys';

/**
 * Pure edits of a plan, each returning a new plan and leaving its input untouched. They keep the
 * invariants a runnable plan needs: events stay sorted by `atMs` (ties in array order), client
 * indices stay within `0 .. config.clients - 1`, and the seed never changes.
 */

/** The client a single-client event targets, or `null` for events that are not per client. */
export function eventClient(event: PlanEvent): number | null {
  switch (event.kind) {
    case 'write':
    case 'offline':
    case 'clock-skew':
    case 'clock-jump':
    case 'client-restart':
    case 'second-loop':
    case 'reincarnation':
    case 'backup-restore':
      return event.client;
    case 'partition':
    case 'gateway-restart':
      return null;
  }
}

/**
 * Keeps only the clients in `kept` (indices of `plan`), renumbering them `0..kept.size-1` in their
 * original order. Events of dropped clients go; a partition loses the dropped clients and goes when
 * none is left.
 */
export function keepClients(plan: Plan, kept: ReadonlySet<number>): Plan {
  const newIndex = new Map<number, number>();
  for (let client = 0; client < plan.config.clients; client++) {
    if (kept.has(client)) newIndex.set(client, newIndex.size);
  }
  const events: PlanEvent[] = [];
  for (const event of plan.events) {
    const remapped = remapEvent(event, newIndex);
    if (remapped !== null) events.push(remapped);
  }
  let reach = plan.config.reach;
  const focus = reach?.focus;
  if (reach !== undefined && focus?.kind === 'client') {
    const client = newIndex.get(focus.client);
    const { focus: _dropped, ...rest } = reach;
    reach = client === undefined ? rest : { ...rest, focus: { kind: 'client', client } };
  }
  const config: SimConfig = { ...plan.config, clients: newIndex.size };
  return { ...plan, config: withReachField(config, reach), events };
}

/** Replaces the plan's reach settings (`undefined` removes them: the simulator's defaults). */
export function withReach(plan: Plan, reach: ReachConfig | undefined): Plan {
  return { ...plan, config: withReachField(plan.config, reach) };
}

function withReachField(config: SimConfig, reach: ReachConfig | undefined): SimConfig {
  const { reach: _old, ...rest } = config;
  return reach === undefined ? rest : { ...rest, reach };
}

function remapEvent(event: PlanEvent, newIndex: ReadonlyMap<number, number>): PlanEvent | null {
  if (event.kind === 'gateway-restart') return event;
  if (event.kind === 'partition') {
    const clients: number[] = [];
    for (const client of event.clients) {
      const index = newIndex.get(client);
      if (index !== undefined) clients.push(index);
    }
    return clients.length === 0 ? null : { ...event, clients };
  }
  const index = newIndex.get(event.client);
  return index === undefined ? null : { ...event, client: index };
}

/** Keeps only the events whose positions are in `kept`. */
export function keepEvents(plan: Plan, kept: ReadonlySet<number>): Plan {
  return { ...plan, events: plan.events.filter((_, position) => kept.has(position)) };
}

/**
 * Shortens the fault phase to `durationMs`, dropping the events scheduled at or after it (a
 * shorter phase cannot hold them).
 */
export function withDurationMs(plan: Plan, durationMs: number): Plan {
  let reach = plan.config.reach;
  const focus = reach?.focus;
  if (reach !== undefined && focus?.kind === 'window' && focus.toMs > durationMs) {
    const { focus: _dropped, ...rest } = reach;
    reach = focus.fromMs < durationMs ? { ...rest, focus: { ...focus, toMs: durationMs } } : rest;
  }
  return {
    ...plan,
    config: withReachField({ ...plan.config, durationMs }, reach),
    events: plan.events.filter((event) => event.atMs < durationMs),
  };
}

/** Sets the heal phase's length. */
export function withHealMs(plan: Plan, healMs: number): Plan {
  return { ...plan, config: { ...plan.config, healMs } };
}

/**
 * Sets one fault rate to zero. A `...Max` bound taken below its `...Min` pulls the minimum down
 * with it, so latency ranges stay well formed.
 */
export function withRateZero(plan: Plan, key: ShrinkableRateKey): Plan {
  const faults: { -readonly [K in keyof FaultRates]: FaultRates[K] } = {
    ...plan.config.faults,
    [key]: 0,
  };
  if (key.endsWith('Max')) {
    const minKey = `${key.slice(0, -3)}Min` as RequiredRateKey;
    if (minKey in faults && faults[minKey] > 0) faults[minKey] = 0;
  }
  return { ...plan, config: { ...plan.config, faults } };
}
