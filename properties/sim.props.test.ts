import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { runPlan } from '../sim/scenario/run-plan';
import type { FaultProfileName, Plan, RunResult } from '../sim/types';
import { generatePlan } from '../sim/workload/generate-plan';
import { defaultSimConfig, minimumHealMs } from '../sim/workload/sim-config';

/**
 * The simulator's end-to-end laws on many small generated scenarios: for any seed, client count,
 * fault profile and a few individually varied fault rates, every oracle holds after the heal
 * phase (convergence, idempotency, durability, model agreement, monotonicity, liveness), and a
 * plan replays to the same trace hash.
 *
 * Sized for CI: 250 scenarios (50 per profile) of 8–30 virtual seconds of faults with 2–8
 * clients, 4–40 rows per table (few rows: constant conflicts), plus 8 replays. On a failure
 * the plan is written to `reports/props-<seed>-<profile>-min.json` and the message gives the
 * seed and the one command that replays it.
 */

const RUNS_PER_PROFILE = 50;
const PROFILES: readonly FaultProfileName[] = ['none', 'calm', 'default', 'chaos', 'swarm'];
const REPORTS_DIR = join(import.meta.dirname, '..', 'reports');

const scenarioArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  clients: fc.integer({ min: 2, max: 8 }),
  durationMs: fc.integer({ min: 8_000, max: 30_000 }),
  writesPerClientPerSecond: fc.constantFrom(0.5, 1, 2, 4),
  rowsPerTable: fc.constantFrom(4, 12, 40),
  dropProbability: fc.option(fc.constantFrom(0, 0.1, 0.3), { nil: undefined }),
  replyLossProbability: fc.option(fc.constantFrom(0, 0.1, 0.3), { nil: undefined }),
  storagePutFailProbability: fc.option(fc.constantFrom(0, 0.2, 0.5), { nil: undefined }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function planOf(scenario: Scenario, profile: FaultProfileName): Plan {
  const { seed, clients, durationMs, writesPerClientPerSecond, rowsPerTable, ...rates } = scenario;
  const faults = Object.fromEntries(
    Object.entries(rates).filter(([, value]) => value !== undefined),
  );
  const shape = { faultProfile: profile, faults, clients, durationMs, writesPerClientPerSecond };
  const base = defaultSimConfig(seed, shape);
  return generatePlan(
    defaultSimConfig(seed, {
      ...shape,
      rowsPerTable,
      hotRows: Math.min(3, rowsPerTable),
      healMs: minimumHealMs(base.faults, durationMs, base),
    }),
  );
}

/** Writes the failing plan under reports/ and explains how to replay it. */
function failureMessage(plan: Plan, result: RunResult): string {
  const file = `reports/props-${plan.seed}-${plan.config.faultProfile}-min.json`;
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(join(REPORTS_DIR, '..', file), `${JSON.stringify(plan, null, 2)}\n`);
  const shown = result.violations
    .slice(0, 5)
    .map((violation) => `  [${violation.oracle}] at ${violation.atMs} ms: ${violation.message}`);
  return [
    `seed ${plan.seed} (${plan.config.faultProfile}, ${plan.config.clients} clients) broke ${result.violations.length} oracle check(s):`,
    ...shown,
    `replay: bun run sim --replay ${file}`,
  ].join('\n');
}

describe('simulated runs satisfy every oracle', () => {
  let runs = 0;
  afterAll(() => {
    // The CI budget promises this many scenarios; a silently shrunken suite would not notice.
    expect(runs).toBeGreaterThanOrEqual(PROFILES.length * RUNS_PER_PROFILE);
  });
  for (const profile of PROFILES) {
    test.prop([scenarioArb], { numRuns: RUNS_PER_PROFILE, endOnFailure: true })(
      `profile ${profile}`,
      async (scenario) => {
        const plan = planOf(scenario, profile);
        const result = await runPlan(plan);
        runs++;
        if (!result.ok) expect.fail(failureMessage(plan, result));
        expect(result.stats.virtualMs).toBe(plan.config.durationMs + plan.config.healMs);
      },
    );
  }
});

describe('simulated runs are deterministic', () => {
  test.prop([scenarioArb, fc.constantFrom<FaultProfileName>('chaos', 'swarm')], {
    numRuns: 8,
    endOnFailure: true,
  })('the same plan gives the same trace hash', async (scenario, profile) => {
    const plan = planOf(scenario, profile);
    const first = await runPlan(plan);
    const second = await runPlan(JSON.parse(JSON.stringify(plan)) as Plan);
    expect(second.traceHash, `seed ${plan.seed}: replay with bun run sim --seed ${plan.seed}`).toBe(
      first.traceHash,
    );
  });
});
