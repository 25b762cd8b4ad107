import { describe, expect, it } from 'vitest';
import { ddmin } from '../shrink/ddmin';
import { FAULT_RATE_KEYS } from '../shrink/fault-rate-keys';
import { keepClients, withRateZero } from '../shrink/plan-edits';
import { planSize } from '../shrink/plan-size';
import { shrinkPlan } from '../shrink/shrink';
import type { FaultRates, Plan, PlanEvent } from '../types';

const RATES: FaultRates = {
  dropProbability: 0.1,
  duplicateProbability: 0.1,
  replyLossProbability: 0.05,
  latencyMsMin: 5,
  latencyMsMax: 80,
  storagePutFailProbability: 0.1,
  storageLostReplyProbability: 0.05,
  storageLatencyMsMin: 2,
  storageLatencyMsMax: 200,
  partitionsPerRun: 2,
  clockSkewsPerRun: 2,
  clockJumpsPerRun: 1,
  gatewayRestartsPerRun: 1,
  clientRestartsPerRun: 1,
  offlinePeriodsPerRun: 1,
  clockSkewMsMax: 8_000,
  clockDriftPpmMax: 200,
};

function write(atMs: number, client: number, marker: string): PlanEvent {
  return {
    kind: 'write',
    atMs,
    client,
    op: 'update',
    table: 'todos',
    rowId: `r${atMs % 7}`,
    values: { marker },
  };
}

/** 4 clients, 120 writes and a handful of faults; marker X on client 1, marker Y on client 3. */
function samplePlan(): Plan {
  const events: PlanEvent[] = [];
  for (let index = 0; index < 120; index++) {
    const atMs = index * 100;
    const client = index % 4;
    const marker = index === 37 ? 'X' : index === 95 ? 'Y' : `m${index}`;
    events.push(write(atMs, client, marker));
    if (index % 20 === 5) {
      events.push({
        kind: 'partition',
        atMs,
        durationMs: 900,
        clients: [0, 2, 3],
        direction: 'both',
      });
    }
    if (index % 30 === 11) events.push({ kind: 'gateway-restart', atMs, downMs: 500 });
    if (index % 25 === 3)
      events.push({ kind: 'clock-skew', atMs, client: 2, skewMs: -3000, driftPpm: 40 });
  }
  return {
    version: 1,
    seed: 42,
    config: {
      seed: 42,
      clients: 4,
      tables: ['todos'],
      rowsPerTable: 7,
      hotRows: 2,
      durationMs: 60_000,
      healMs: 40_000,
      writesPerClientPerSecond: 2,
      faultProfile: 'default',
      faults: RATES,
    },
    events,
  };
}

function markers(plan: Plan): string[] {
  return plan.events.flatMap((event) =>
    event.kind === 'write' && typeof event.values.marker === 'string' ? [event.values.marker] : [],
  );
}

const hasXandY = async (plan: Plan): Promise<boolean> => {
  const seen = markers(plan);
  return seen.includes('X') && seen.includes('Y');
};

/** Throws when a candidate breaks the invariants every plan the shrinker builds must keep. */
function assertWellFormed(plan: Plan): void {
  let previousMs = -1;
  for (const event of plan.events) {
    if (event.atMs < previousMs) throw new Error('events out of order');
    previousMs = event.atMs;
    if (event.atMs >= plan.config.durationMs) throw new Error('event after the fault phase');
    const clients =
      event.kind === 'partition' ? event.clients : 'client' in event ? [event.client] : [];
    for (const client of clients) {
      if (client < 0 || client >= plan.config.clients)
        throw new Error(`client ${client} out of range`);
    }
    if (event.kind === 'partition' && event.clients.length === 0)
      throw new Error('empty partition');
  }
  if (plan.config.clients < 1) throw new Error('no clients');
  if (plan.seed !== 42) throw new Error('seed changed');
}

describe('shrinkPlan', () => {
  it('shrinks "fails iff markers X and Y are present" to exactly those two events', async () => {
    const original = samplePlan();
    const report = await shrinkPlan(original, async (plan) => {
      assertWellFormed(plan);
      return hasXandY(plan);
    });
    expect(report.plan.events).toEqual([{ ...write(3700, 0, 'X') }, { ...write(9500, 1, 'Y') }]);
    expect(report.plan.config.clients).toBe(2);
    expect(report.plan.config.durationMs).toBeLessThanOrEqual(9501);
    expect(report.plan.config.healMs).toBe(5_000);
    expect(FAULT_RATE_KEYS.every((key) => report.plan.config.faults[key] === 0)).toBe(true);
    expect(report.plan.seed).toBe(42);
    expect(report.before).toEqual(planSize(original));
    expect(report.after).toMatchObject({
      clients: 2,
      events: 2,
      writes: 2,
      faultEvents: 0,
      faultRates: 0,
    });
    expect(report.runs).toBeGreaterThan(0);
    expect(report.runs).toBeLessThanOrEqual(300);
    expect(report.exhausted).toBe(false);
  });

  it('leaves the input plan untouched', async () => {
    const original = samplePlan();
    const copy = JSON.parse(JSON.stringify(original)) as Plan;
    await shrinkPlan(original, hasXandY);
    expect(original).toEqual(copy);
  });

  it('never runs the predicate more than shrinkRunsMax times', async () => {
    let calls = 0;
    const report = await shrinkPlan(
      samplePlan(),
      async (plan) => {
        calls++;
        return hasXandY(plan);
      },
      { shrinkRunsMax: 7 },
    );
    expect(calls).toBe(7);
    expect(report.runs).toBe(7);
    expect(report.exhausted).toBe(true);
    expect(await hasXandY(report.plan)).toBe(true);
  });

  it('gives the same plan and run count every time (deterministic)', async () => {
    const first = await shrinkPlan(samplePlan(), hasXandY, { shrinkRunsMax: 40 });
    const second = await shrinkPlan(samplePlan(), hasXandY, { shrinkRunsMax: 40 });
    expect(JSON.stringify(second.plan)).toBe(JSON.stringify(first.plan));
    expect(second.runs).toBe(first.runs);
  });

  it('keeps the original when nothing smaller fails', async () => {
    const original = samplePlan();
    const json = JSON.stringify(original);
    const report = await shrinkPlan(original, async (plan) => JSON.stringify(plan) === json);
    expect(report.plan).toBe(original);
    expect(report.after).toEqual(report.before);
  });

  it('keeps the events a failure needs across clients and faults', async () => {
    const needsRestartAndClient2 = async (plan: Plan): Promise<boolean> =>
      plan.events.some((event) => event.kind === 'gateway-restart') &&
      plan.events.some((event) => event.kind === 'clock-skew' && event.skewMs < 0);
    const report = await shrinkPlan(samplePlan(), needsRestartAndClient2);
    expect(report.plan.events.map((event) => event.kind)).toEqual([
      'gateway-restart',
      'clock-skew',
    ]);
    expect(report.plan.config.clients).toBe(1);
    expect(report.plan.events[1]).toMatchObject({ kind: 'clock-skew', client: 0, skewMs: -3000 });
  });
});

describe('shrinkPlan phase bounds', () => {
  it('never shortens the heal phase below a floor computed from each candidate', async () => {
    const floors: number[] = [];
    const report = await shrinkPlan(samplePlan(), hasXandY, {
      healMsFloor: (plan) => {
        const floor = 10_000 + 1_000 * plan.config.clients;
        floors.push(floor);
        return floor;
      },
    });
    expect(report.plan.config.clients).toBe(2);
    expect(report.plan.config.healMs).toBe(12_000);
    expect(floors.length).toBeGreaterThan(0);
  });

  it('never shortens the fault phase below its floor nor drops events it still needs', async () => {
    const report = await shrinkPlan(samplePlan(), hasXandY, { durationMsFloor: 20_000 });
    expect(report.plan.config.durationMs).toBe(20_000);
    expect(markers(report.plan)).toEqual(['X', 'Y']);
  });
});

describe('plan edits', () => {
  it('drops clients and renumbers events and partitions', () => {
    const plan = keepClients(samplePlan(), new Set([1, 3]));
    expect(plan.config.clients).toBe(2);
    const partitions = plan.events.filter((event) => event.kind === 'partition');
    expect(partitions.length).toBeGreaterThan(0);
    for (const partition of partitions) expect(partition).toMatchObject({ clients: [1] });
    expect(plan.events.some((event) => event.kind === 'clock-skew')).toBe(false);
    expect(markers(plan)).toContain('X');
    expect(markers(plan)).toContain('Y');
  });

  it('pulls a latency minimum down with its maximum', () => {
    const plan = withRateZero(samplePlan(), 'latencyMsMax');
    expect(plan.config.faults.latencyMsMax).toBe(0);
    expect(plan.config.faults.latencyMsMin).toBe(0);
    expect(plan.config.faults.dropProbability).toBe(0.1);
  });
});

describe('ddmin', () => {
  it('finds a 1-minimal subset', async () => {
    const items = Array.from({ length: 100 }, (_, index) => index);
    const kept = await ddmin(items, async (subset) => subset.includes(3) && subset.includes(77));
    expect(kept).toEqual([3, 77]);
  });

  it('respects minimumKept and stops when told', async () => {
    const items = [1, 2, 3, 4, 5];
    expect(await ddmin(items, async () => true, { minimumKept: 2 })).toHaveLength(2);
    let calls = 0;
    const kept = await ddmin(
      items,
      async () => {
        calls++;
        return false;
      },
      { stopped: () => calls >= 2 },
    );
    expect(kept).toEqual(items);
    expect(calls).toBe(2);
  });
});
