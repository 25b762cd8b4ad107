import { describe, expect, it } from 'vitest';
import { createPrng } from '../engine/prng';
import { drawCount, drawFaultEvents } from '../faults/fault-events';
import { FAULT_PROFILE_NAMES, faultProfile } from '../faults/profiles';
import type { PlanEvent } from '../types';
import { generatePlan } from '../workload/generate-plan';
import { defaultSimConfig } from '../workload/sim-config';
import { drawColumns, drawValue, ODD_COLUMNS } from '../workload/values';
import { drawClientWrites } from '../workload/writes';

const writesOf = (events: readonly PlanEvent[], client: number) =>
  events.filter((event) => event.kind === 'write' && event.client === client);

describe('generatePlan', () => {
  it('gives the same plan for the same config', () => {
    const config = defaultSimConfig(42, { faultProfile: 'chaos' });
    expect(JSON.stringify(generatePlan(config))).toBe(JSON.stringify(generatePlan(config)));
  });

  it('gives different plans for different seeds', () => {
    const a = generatePlan(defaultSimConfig(1));
    const b = generatePlan(defaultSimConfig(2));
    expect(JSON.stringify(a.events)).not.toBe(JSON.stringify(b.events));
  });

  it('keeps the other clients’ writes when a client is added', () => {
    const three = defaultSimConfig(5, { clients: 3 });
    const four = defaultSimConfig(5, { clients: 4 });
    const fourPlan = JSON.stringify(generatePlan(four).events);
    for (let client = 0; client < 3; client++) {
      const own = (config: typeof three) =>
        drawClientWrites(config, client, createPrng(5, `workload/client-${client}`));
      expect(own(four)).toEqual(own(three));
      // every write of the client's own stream is in the bigger plan, unchanged
      for (const write of own(three)) expect(fourPlan).toContain(JSON.stringify(write));
    }
    expect(writesOf(generatePlan(four).events, 3).length).toBeGreaterThan(0);
  });

  it('sorts events by time and keeps them inside the fault phase', () => {
    const plan = generatePlan(defaultSimConfig(9, { faultProfile: 'chaos' }));
    const { durationMs } = plan.config;
    for (let index = 1; index < plan.events.length; index++) {
      expect(plan.events[index]!.atMs).toBeGreaterThanOrEqual(plan.events[index - 1]!.atMs);
    }
    for (const event of plan.events) {
      expect(event.atMs).toBeLessThan(durationMs);
      if (event.kind === 'partition' || event.kind === 'offline') {
        expect(event.atMs + event.durationMs).toBeLessThanOrEqual(durationMs);
      }
    }
  });

  it('writes at the configured mean rate, mostly to hot rows', () => {
    const config = defaultSimConfig(3, {
      clients: 1,
      durationMs: 600_000,
      writesPerClientPerSecond: 2,
    });
    const writes = drawClientWrites(config, 0, createPrng(3, 'workload/client-0'));
    expect(Math.abs(writes.length - 1_200)).toBeLessThan(120);
    const hot = writes.filter((write) => Number(write.rowId.slice(1)) < config.hotRows).length;
    expect(hot / writes.length).toBeGreaterThan(0.75);
    const ops = new Set(writes.map((write) => write.op));
    expect(ops).toEqual(new Set(['insert', 'update', 'delete']));
  });

  it('round-trips through JSON, odd column names included', () => {
    const plan = generatePlan(defaultSimConfig(4, { clients: 20, durationMs: 300_000 }));
    const odd = plan.events.filter(
      (event) =>
        event.kind === 'write' &&
        Object.keys(event.values).some((column) => ODD_COLUMNS.includes(column)),
    );
    expect(odd.length).toBeGreaterThan(0);
    const reparsed = JSON.parse(JSON.stringify(plan)) as typeof plan;
    expect(JSON.stringify(reparsed)).toBe(JSON.stringify(plan));
    const protoWrite = reparsed.events.find(
      (event) => event.kind === 'write' && Object.keys(event.values).includes('__proto__'),
    );
    if (protoWrite !== undefined && protoWrite.kind === 'write') {
      expect(Object.hasOwn(protoWrite.values, '__proto__')).toBe(true);
    }
  });
});

describe('generators give the same values for the same seed', () => {
  it('drawColumns and drawValue', () => {
    const draw = () => {
      const prng = createPrng(21, 'values');
      return Array.from({ length: 200 }, (_, index) => [
        drawColumns(prng, index % 2 === 0 ? 'insert' : 'update'),
        drawValue(prng, 'meta'),
      ]);
    };
    expect(JSON.stringify(draw())).toBe(JSON.stringify(draw()));
  });

  it('drawClientWrites and drawFaultEvents', () => {
    const config = defaultSimConfig(22, { faultProfile: 'chaos', clients: 5 });
    const writes = () => drawClientWrites(config, 2, createPrng(22, 'workload/client-2'));
    const faults = () => drawFaultEvents(config, createPrng(22, 'faults'));
    expect(JSON.stringify(writes())).toBe(JSON.stringify(writes()));
    expect(JSON.stringify(faults())).toBe(JSON.stringify(faults()));
    expect(faults().length).toBeGreaterThan(0);
  });
});

describe('drawColumns', () => {
  it('sets every column on insert and one or two on update, as own keys', () => {
    const prng = createPrng(1, 'values');
    for (let index = 0; index < 300; index++) {
      const insert = drawColumns(prng, 'insert');
      expect(Object.keys(insert).length).toBeGreaterThanOrEqual(5);
      const update = Object.keys(drawColumns(prng, 'update'));
      expect(update.length).toBeGreaterThanOrEqual(1);
      expect(update.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('fault events', () => {
  it('draws counts with the expected mean', () => {
    const prng = createPrng(2, 'counts');
    let sum = 0;
    for (let index = 0; index < 5_000; index++) sum += drawCount(prng, 3);
    expect(Math.abs(sum / 5_000 - 3)).toBeLessThan(0.1);
    expect(drawCount(prng, 0)).toBe(0);
  });

  it('draws no scheduled faults under "none" and some of every kind under "chaos"', () => {
    expect(
      drawFaultEvents(defaultSimConfig(1, { faultProfile: 'none' }), createPrng(1, 'faults')),
    ).toEqual([]);
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const config = defaultSimConfig(seed, { faultProfile: 'chaos' });
      for (const event of drawFaultEvents(config, createPrng(seed, 'faults')))
        kinds.add(event.kind);
    }
    expect(kinds).toEqual(
      new Set([
        'partition',
        'offline',
        'clock-skew',
        'clock-jump',
        'gateway-restart',
        'client-restart',
      ]),
    );
  });

  it('never puts a client clock more than clockSkewMsMax ahead (forward jumps are trimmed)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const config = defaultSimConfig(seed, { faultProfile: 'chaos', clients: 3 });
      const offsets = new Map<number, number>();
      let trimmed = 0;
      for (const event of drawFaultEvents(config, createPrng(seed, 'faults')).sort(
        (a, b) => a.atMs - b.atMs,
      )) {
        if (event.kind === 'clock-skew') offsets.set(event.client, event.skewMs);
        if (event.kind !== 'clock-jump') continue;
        const offset = (offsets.get(event.client) ?? 0) + event.jumpMs;
        offsets.set(event.client, offset);
        expect(offset).toBeLessThanOrEqual(config.faults.clockSkewMsMax);
        if (event.jumpMs === -1) trimmed++;
      }
      expect(trimmed).toBeLessThan(30);
    }
  });

  it('names partition groups of distinct, in-range clients', () => {
    const config = defaultSimConfig(6, { faultProfile: 'chaos', clients: 7 });
    for (const event of drawFaultEvents(config, createPrng(6, 'faults'))) {
      if (event.kind !== 'partition') continue;
      expect(new Set(event.clients).size).toBe(event.clients.length);
      for (const client of event.clients) expect(client).toBeLessThan(7);
    }
  });
});

describe('faultProfile', () => {
  it('has every profile, none without faults', () => {
    for (const name of FAULT_PROFILE_NAMES)
      expect(faultProfile(name).latencyMsMax).toBeGreaterThan(0);
    const none = faultProfile('none');
    expect(none.dropProbability + none.gatewayRestartsPerRun + none.clockSkewMsMax).toBe(0);
  });

  it('draws swarm rates per seed, the same for the same seed, within the chaos ceilings', () => {
    const a = faultProfile('swarm', createPrng(1, 'faults/swarm'));
    const b = faultProfile('swarm', createPrng(1, 'faults/swarm'));
    const c = faultProfile('swarm', createPrng(2, 'faults/swarm'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const chaos = faultProfile('chaos');
    for (let seed = 0; seed < 50; seed++) {
      const rates = faultProfile('swarm', createPrng(seed, 'faults/swarm'));
      expect(rates.dropProbability).toBeLessThanOrEqual(chaos.dropProbability);
      expect(rates.latencyMsMax).toBeGreaterThanOrEqual(rates.latencyMsMin);
      expect(rates.clockSkewMsMax).toBeLessThanOrEqual(chaos.clockSkewMsMax);
    }
  });

  it('applies individual rate overrides on top of the profile', () => {
    const config = defaultSimConfig(1, { faultProfile: 'calm', faults: { dropProbability: 0.5 } });
    expect(config.faults.dropProbability).toBe(0.5);
    expect(config.faults.duplicateProbability).toBe(faultProfile('calm').duplicateProbability);
  });
});
