import { describe, expect, it } from 'vitest';
import { defaultSimConfig, generatePlan } from '../index';
import { keepClients, withDurationMs, withReach } from '../shrink/plan-edits';
import { Probe } from '../shrink/probe';
import { boundLadder, PAGE_FLOOR, RETAIN_FLOOR, tightenBounds } from '../shrink/reach-stage';
import { describeShrink, shrinkPlan } from '../shrink/shrink';
import type { Plan } from '../types';

/** A real generated plan: 20 clients, 60 s of chaos, several hundred events. */
function bigPlan(): Plan {
  return generatePlan(defaultSimConfig(11, { faultProfile: 'chaos' }));
}

describe('hierarchical shrinking', () => {
  it('cuts a multi-fault plan to ≤ 20 events when the cause needs 3 faults and one write', async () => {
    const plan = bigPlan();
    expect(plan.events.length).toBeGreaterThan(400);
    const restart = plan.events.find((event) => event.kind === 'gateway-restart');
    const offline = plan.events.find((event) => event.kind === 'offline');
    const skew = plan.events.find((event) => event.kind === 'clock-skew' && event.skewMs < 0);
    expect(restart && offline && skew).toBeTruthy();
    // "Fails" while a gateway restart, an offline period and a backward skew remain, plus a write
    // of the offline client after the restart: a cause needing three faults.
    const stillFails = async (candidate: Plan): Promise<boolean> => {
      const kinds = candidate.events.map((event) => event.kind);
      const out = candidate.events.find((event) => event.kind === 'offline');
      const after = candidate.events.find((event) => event.kind === 'gateway-restart')?.atMs;
      return (
        kinds.includes('gateway-restart') &&
        out !== undefined &&
        after !== undefined &&
        candidate.events.some((event) => event.kind === 'clock-skew' && event.skewMs < 0) &&
        candidate.events.some(
          (event) => event.kind === 'write' && event.client === out.client && event.atMs > after,
        )
      );
    };
    expect(await stillFails(plan)).toBe(true);
    const report = await shrinkPlan(plan, stillFails);
    expect(report.after.events).toBeLessThanOrEqual(20);
    expect(report.runs).toBeLessThanOrEqual(300);
    expect(report.exhausted).toBe(false);
    expect(await stillFails(report.plan)).toBe(true);
    const stages = new Map(report.stages?.map((stage) => [stage.name, stage]));
    // Whole clients and whole faults go first and take the bulk.
    expect(
      (stages.get('clients')?.eventsRemoved ?? 0) + (stages.get('faults')?.eventsRemoved ?? 0),
    ).toBeGreaterThan(report.before.events / 2);
    expect(describeShrink(report)).toMatch(
      new RegExp(`^events ${report.before.events} → ${report.after.events} in ${report.runs} runs`),
    );
  }, 60_000);

  it('drops the reach settings a failure does not need, and keeps those it does', async () => {
    const base = generatePlan(defaultSimConfig(2, { faultProfile: 'trim', clients: 3 }));
    const plan = withReach(base, {
      logRetainMax: 40,
      triggers: { 'recovery-read': 0.4, 'claim-before-send': 0.01 },
      focus: { kind: 'client', client: 1 },
    });
    const needsRecoveryTrigger = async (candidate: Plan): Promise<boolean> =>
      (candidate.config.reach?.triggers?.['recovery-read'] ?? 0) > 0;
    const report = await shrinkPlan(plan, needsRecoveryTrigger);
    expect(report.plan.config.reach).toEqual({ triggers: { 'recovery-read': 0.4 } });
  });
});

describe('tightening the log and page bounds', () => {
  it('tries the floor, then the halvings of the value, smallest first', () => {
    expect(boundLadder(2, 40)).toEqual([2, 5, 10, 20]);
    expect(boundLadder(4, 9)).toEqual([4]);
    expect(boundLadder(2, 2)).toEqual([]);
    expect(boundLadder(4, 3)).toEqual([]);
  });

  it('reaches a small page size past sizes that do not fail (failure is not monotonic in it)', async () => {
    const plan = withReach(
      generatePlan(defaultSimConfig(4, { faultProfile: 'trim', clients: 2 })),
      {
        logRetainMax: 40,
        pageDeltasMax: 40,
      },
    );
    // Fails with pages of 40 and of 5 but not of 20 or 10, as a cut-short snapshot does when the
    // page boundary moves past the row that changed (halving would stop at 40), and only with the
    // retention it has.
    const tried: Array<readonly [number | undefined, number | undefined]> = [];
    const fails = async (candidate: Plan): Promise<boolean> => {
      const { logRetainMax, pageDeltasMax } = candidate.config.reach ?? {};
      tried.push([logRetainMax, pageDeltasMax]);
      return (pageDeltasMax === 40 || pageDeltasMax === 5) && logRetainMax === 40;
    };
    const probe = new Probe(fails, 100);
    const tightened = await tightenBounds(plan, probe);
    expect(tightened.config.reach?.pageDeltasMax).toBe(5);
    expect(tightened.config.reach?.logRetainMax).toBe(40);
    // Every rung of the retention ladder (none fails), then the page ladder up to 5, where it stops.
    const retainRungs = boundLadder(RETAIN_FLOOR, 40).map((rung) => [rung, 40] as const);
    const pageRungs = boundLadder(PAGE_FLOOR, 40).filter((rung) => rung <= 5);
    expect(tried).toEqual([...retainRungs, ...pageRungs.map((rung) => [40, rung] as const)]);
    expect(probe.runs).toBe(tried.length);
  });
});

describe('plan edits keep reach settings valid', () => {
  const plan = withReach(generatePlan(defaultSimConfig(1, { faultProfile: 'none', clients: 4 })), {
    focus: { kind: 'client', client: 2 },
  });

  it('renumbers a client focus, and removes it with its client', () => {
    expect(keepClients(plan, new Set([0, 2])).config.reach?.focus).toEqual({
      kind: 'client',
      client: 1,
    });
    expect(keepClients(plan, new Set([0, 1])).config.reach).toEqual({});
  });

  it('clips a window focus to a shorter fault phase, and removes it past the end', () => {
    const windowed = withReach(plan, { focus: { kind: 'window', fromMs: 10_000, toMs: 20_000 } });
    expect(withDurationMs(windowed, 15_000).config.reach?.focus).toEqual({
      kind: 'window',
      fromMs: 10_000,
      toMs: 15_000,
    });
    expect(withDurationMs(windowed, 8_000).config.reach).toEqual({});
    expect('reach' in withReach(windowed, undefined).config).toBe(false);
  });
});
