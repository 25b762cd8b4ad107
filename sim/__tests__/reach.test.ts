import { describe, expect, it } from 'vitest';
import { createPrng } from '../engine/prng';
import { drawFaultEvents } from '../faults/fault-events';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';
import { reachConfig, TRIGGER_NAMES, trimRetainRange } from '../faults/reach-profiles';
import { defaultSimConfig, generatePlan, runPlan } from '../index';
import { rootCauseFirst, ViolationLog } from '../oracles/violation-log';
import { REACH_KINDS } from '../scenario/coverage';
import type { Plan, RunResult, TriggerName } from '../types';
import { Triggers } from '../world/triggers';

const SMALL = { clients: 6, durationMs: 20_000 } as const;

function total(result: RunResult, kind: string): number {
  const entry = result.coverage[kind];
  return entry === undefined ? 0 : entry.fault + entry.heal;
}

describe('reach settings per profile', () => {
  it('lists trim among the profiles, swarm last', () => {
    expect(FAULT_PROFILE_NAMES).toContain('trim');
    expect(FAULT_PROFILE_NAMES[FAULT_PROFILE_NAMES.length - 1]).toBe('swarm');
  });

  it('leaves none, calm and default as they were, and gives trim a small retention', () => {
    const shape = { clients: 20, durationMs: 60_000, writesPerClientPerSecond: 0.5 };
    for (const profile of ['none', 'calm', 'default'] as const)
      expect(reachConfig(profile, createPrng(1, 'faults/reach'), shape)).toBeUndefined();
    expect(trimRetainRange(shape)).toEqual({ min: 50, max: 150 });
    for (let seed = 1; seed <= 20; seed++) {
      const reach = defaultSimConfig(seed, { faultProfile: 'trim' }).reach;
      expect(reach?.logRetainMax).toBeGreaterThanOrEqual(50);
      expect(reach?.logRetainMax).toBeLessThanOrEqual(150);
      expect(reach?.offlineMsMin).toBeGreaterThan(5_000);
    }
  });

  it('gives swarm seeds a mix: small retention, each trigger, client and window focus', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const reach = defaultSimConfig(seed, { faultProfile: 'swarm' }).reach;
      if (reach?.logRetainMax !== undefined) seen.add('retain');
      if (reach?.focus !== undefined) seen.add(`focus:${reach.focus.kind}`);
      for (const name of Object.keys(reach?.triggers ?? {})) seen.add(name);
    }
    expect([...seen].sort()).toEqual(
      ['focus:client', 'focus:window', 'retain', ...TRIGGER_NAMES].sort(),
    );
  });

  it('aims every fault event at the focused client, or inside the focused window', () => {
    const base = defaultSimConfig(3, { faultProfile: 'chaos', clients: 6 });
    const draw = (config: typeof base) => drawFaultEvents(config, createPrng(3, 'faults'));
    const byClient = draw({ ...base, reach: { focus: { kind: 'client', client: 4 } } });
    expect(byClient.length).toBeGreaterThan(5);
    for (const event of byClient) {
      if (event.kind === 'partition') expect(event.clients).toEqual([4]);
      else if ('client' in event) expect(event.client).toBe(4);
    }
    const window = { kind: 'window', fromMs: 10_000, toMs: 15_000 } as const;
    const faults = draw({ ...base, reach: { focus: window } });
    expect(faults.length).toBeGreaterThan(5);
    for (const event of faults) {
      expect(event.atMs).toBeGreaterThanOrEqual(10_000);
      expect(event.atMs).toBeLessThan(15_000);
      if ('durationMs' in event) expect(event.atMs + event.durationMs).toBeLessThanOrEqual(15_000);
    }
  });
});

describe('Triggers', () => {
  const moment = (nowMs: number) => () => ({ nowMs, faultsActive: true });

  it('never fires (nor draws) a trigger at probability 0, and fires one at 1', () => {
    const fired: TriggerName[] = [];
    const triggers = new Triggers({ triggers: { 'recovery-read': 1 } }, 7, moment(0), (name) =>
      fired.push(name),
    );
    expect(triggers.fires('after-snapshot-page', null, 'gateway', '')).toBe(false);
    expect(triggers.fires('recovery-read', null, 'lake', '')).toBe(true);
    expect(fired).toEqual(['recovery-read']);
    expect(triggers.fired('recovery-read')).toBe(1);
  });

  it('respects the focus and the phase', () => {
    const reach = {
      triggers: { 'claim-before-send': 1 },
      focus: { kind: 'client', client: 2 },
    } as const;
    const triggers = new Triggers(reach, 7, moment(0), () => {});
    expect(triggers.fires('claim-before-send', 1, 'client-1', '')).toBe(false);
    expect(triggers.fires('claim-before-send', 2, 'client-2', '')).toBe(true);
    const healing = new Triggers(
      reach,
      7,
      () => ({ nowMs: 0, faultsActive: false }),
      () => {},
    );
    expect(healing.fires('claim-before-send', 2, 'client-2', '')).toBe(false);
  });
});

describe('runs that reach trims and state-triggered faults', () => {
  it('trims the log and serves stale-cursor snapshots in most trim seeds, with 0 violations', async () => {
    let trimmed = 0;
    let stale = 0;
    let tombstones = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const plan = generatePlan(defaultSimConfig(seed, { ...SMALL, faultProfile: 'trim' }));
      const result = await runPlan(plan);
      expect(result.violations, `trim seed ${seed}`).toEqual([]);
      if (total(result, 'trim') > 0) trimmed++;
      if (total(result, 'snapshot:stale-cursor') > 0) stale++;
      tombstones += total(result, 'delete-across-trim');
    }
    expect(trimmed).toBeGreaterThanOrEqual(3);
    expect(stale).toBeGreaterThanOrEqual(3);
    expect(tombstones).toBeGreaterThan(0);
  }, 60_000);

  it('fires every state-triggered fault and still passes every oracle', async () => {
    const fired = new Map<string, number>();
    for (const seed of [1, 2, 3]) {
      const base = defaultSimConfig(seed, { ...SMALL, faultProfile: 'trim' });
      const plan: Plan = generatePlan({
        ...base,
        faults: { ...base.faults, gatewayRestartsPerRun: 3 },
        reach: {
          ...base.reach,
          pageDeltasMax: 10,
          triggers: {
            'after-snapshot-page': 0.7,
            'recovery-read': 0.5,
            'envelope-landed': 0.3,
            'claim-before-send': 0.05,
          },
        },
      });
      const result = await runPlan(plan);
      expect(result.violations, `seed ${seed}`).toEqual([]);
      for (const kind of REACH_KINDS) fired.set(kind, (fired.get(kind) ?? 0) + total(result, kind));
    }
    for (const name of TRIGGER_NAMES) expect(fired.get(`trigger:${name}`), name).toBeGreaterThan(0);
  }, 90_000);

  it('replays a plan with reach settings bit for bit', async () => {
    const plan = generatePlan(defaultSimConfig(4, { ...SMALL, faultProfile: 'chaos' }));
    const first = await runPlan(plan);
    const again = await runPlan(JSON.parse(JSON.stringify(plan)) as Plan);
    expect(again.traceHash).toBe(first.traceHash);
    expect(again.coverage).toEqual(first.coverage);
  }, 60_000);
});

describe('root cause first', () => {
  it('orders safety by first evidence, then progress, then liveness', () => {
    const ordered = rootCauseFirst([
      { oracle: 'liveness', message: 'did not settle', atMs: 10 },
      { oracle: 'convergence', message: 'c', atMs: 900 },
      { oracle: 'progress', message: 'p', atMs: 5 },
      { oracle: 'durability', message: 'd', atMs: 300 },
      { oracle: 'monotonicity', message: 'm', atMs: 300 },
    ]);
    expect(ordered.map((violation) => violation.oracle)).toEqual([
      'durability',
      'monotonicity',
      'convergence',
      'progress',
      'liveness',
    ]);
  });

  it('names liveness first only when nothing else failed', () => {
    const log = new ViolationLog();
    log.add('liveness', 'did not settle', 90_000);
    expect(log.list()[0]?.oracle).toBe('liveness');
    log.add('idempotency', 'twice in the lake', 90_000);
    expect(log.list()[0]?.oracle).toBe('idempotency');
    expect(log.found()[0]?.oracle).toBe('liveness');
  });
});
