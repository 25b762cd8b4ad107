import { describe, expect, it } from 'vitest';
import type { PlanEvent } from '../../types';
import { COHORT_AHEAD_MS, COHORT_MS, COHORT_PAIRS, COHORTS_PER_RUN } from '../cohorts';
import { generatePlan } from '../generate-plan';
import { SECOND_LOOP_MS_MAX } from '../second-loops';
import { defaultSimConfig } from '../sim-config';

const of = <K extends PlanEvent['kind']>(events: readonly PlanEvent[], kind: K) =>
  events.filter((event): event is Extract<PlanEvent, { kind: K }> => event.kind === kind);

describe('conflict cohorts and second loops', () => {
  it('puts cohorts with exactly agreeing clocks and same-millisecond rival writes into skewed runs', () => {
    for (const profile of ['default', 'chaos', 'swarm'] as const) {
      for (let seed = 1; seed <= 5; seed++) {
        const config = defaultSimConfig(seed, { faultProfile: profile });
        if (config.faults.clockSkewsPerRun <= 0) continue; // a swarm seed without skew
        const events = generatePlan(config).events;
        const cohortSkews = of(events, 'clock-skew').filter((e) => e.skewMs === COHORT_AHEAD_MS);
        expect(cohortSkews.length).toBeGreaterThanOrEqual(2 * COHORTS_PER_RUN);
        for (const skew of cohortSkews) {
          expect(skew.driftPpm).toBe(0);
          const back = of(events, 'clock-skew').find(
            (e) => e.client === skew.client && e.atMs === skew.atMs + COHORT_MS && e.skewMs === 0,
          );
          expect(back).toBeDefined();
        }
        const writes = of(events, 'write');
        let rivalPairs = 0;
        for (let i = 1; i < writes.length; i++) {
          const [a, b] = [writes[i - 1], writes[i]];
          if (a === undefined || b === undefined) continue;
          const sameCell =
            a.atMs === b.atMs &&
            a.table === b.table &&
            a.rowId === b.rowId &&
            a.client !== b.client;
          if (sameCell) rivalPairs++;
        }
        expect(rivalPairs).toBeGreaterThanOrEqual(COHORTS_PER_RUN * COHORT_PAIRS);
      }
    }
  });

  it('adds no cohort and no second loop to a run without faults', () => {
    const events = generatePlan(defaultSimConfig(3, { faultProfile: 'none' })).events;
    expect(of(events, 'clock-skew')).toEqual([]);
    expect(of(events, 'second-loop')).toEqual([]);
  });

  it('draws second loops inside the fault phase under default and chaos', () => {
    for (const profile of ['default', 'chaos'] as const) {
      const config = defaultSimConfig(7, { faultProfile: profile });
      const loops = of(generatePlan(config).events, 'second-loop');
      expect(loops.length).toBeGreaterThan(0);
      for (const loop of loops) {
        expect(loop.client).toBeLessThan(config.clients);
        expect(loop.durationMs).toBeLessThanOrEqual(SECOND_LOOP_MS_MAX);
        expect(loop.atMs + loop.durationMs).toBeLessThanOrEqual(config.durationMs);
      }
    }
  });
});
