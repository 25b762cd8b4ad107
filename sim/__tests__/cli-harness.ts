import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../cli/cli';
import type { CliIo } from '../cli/context';
import type { SimEngine } from '../cli/engine';
import type { Invocation } from '../cli/invocation';
import { ORACLE_DESCRIPTIONS } from '../report/oracle-catalogue';
import type { FaultRates, Plan, PlanEvent, RunResult, SimConfig } from '../types';

/** Oracles a run without the lake round trip is judged by (every described one but the lake's). */
export const ORACLES_CHECKED = Object.keys(ORACLE_DESCRIPTIONS).length - 1;

/**
 * Shared by the CLI tests: a stand-in engine and `run(argv)`, which runs the CLI in a fresh
 * temporary folder with fake streams and a fake wall clock.
 */
export const RATES: FaultRates = {
  dropProbability: 0.1,
  duplicateProbability: 0.1,
  replyLossProbability: 0.1,
  latencyMsMin: 1,
  latencyMsMax: 9,
  storagePutFailProbability: 0.1,
  storageLostReplyProbability: 0.1,
  storageLatencyMsMin: 1,
  storageLatencyMsMax: 9,
  partitionsPerRun: 1,
  clockSkewsPerRun: 1,
  clockJumpsPerRun: 1,
  gatewayRestartsPerRun: 1,
  clientRestartsPerRun: 1,
  offlinePeriodsPerRun: 1,
  clockSkewMsMax: 1_000,
  clockDriftPpmMax: 10,
};

/**
 * A stand-in engine: seed s makes 3 clients × 20 writes with markers; seeds divisible by 5 put
 * markers X and Y in the plan. A plan fails `convergence` iff it holds both markers, and makes the
 * engine throw iff it holds marker BOOM. The trace hash is a hash of the plan.
 */
export function fakeEngine(seen: Plan[] = [], nondeterministic = false, failEvery = 5): SimEngine {
  return {
    defaultSimConfig: (seed: number, overrides: Partial<SimConfig> = {}): SimConfig => ({
      seed,
      clients: 3,
      tables: ['todos'],
      rowsPerTable: 5,
      hotRows: 1,
      durationMs: 10_000,
      healMs: 10_000,
      writesPerClientPerSecond: 2,
      faultProfile: 'default',
      faults: RATES,
      ...overrides,
    }),
    faultProfile: () => RATES,
    generatePlan: (config: SimConfig): Plan => {
      const events: PlanEvent[] = [];
      for (let index = 0; index < 20 * config.clients; index++) {
        const special =
          config.seed % failEvery === 0 ? (index === 7 ? 'X' : index === 41 ? 'Y' : null) : null;
        const marker = config.seed === 13 && index === 3 ? 'BOOM' : (special ?? `m${index}`);
        events.push({
          kind: 'write',
          atMs: index * 100,
          client: index % config.clients,
          op: 'update',
          table: 'todos',
          rowId: `r${index % 5}`,
          values: { marker },
        });
      }
      return { version: 1, seed: config.seed, config, events };
    },
    runPlan: async (plan, options = {}): Promise<RunResult> => {
      seen.push(plan);
      const markers = plan.events.map((event) =>
        event.kind === 'write' ? event.values.marker : null,
      );
      if (markers.includes('BOOM')) throw new Error('engine exploded');
      const failing = markers.includes('X') && markers.includes('Y');
      const totalMs = plan.config.durationMs + plan.config.healMs;
      options.onProgress?.(totalMs, totalMs);
      return {
        ok: !failing,
        plan,
        violations: failing
          ? [{ oracle: 'convergence', message: 'client-1 <b>differs</b>', atMs: totalMs }]
          : [],
        traceHash: createHash('sha256')
          .update(JSON.stringify(plan) + (nondeterministic ? String(seen.length) : ''))
          .digest('hex')
          .slice(0, 32),
        stats: {
          clients: plan.config.clients,
          ops: plan.events.length,
          deltasPushed: 0,
          deltasPulled: 0,
          messagesSent: 0,
          duplicatesDelivered: 0,
          messagesDropped: 0,
          repliesLost: 0,
          partitions: 0,
          gatewayRestarts: 0,
          clientRestarts: 0,
          clockSkewMsMax: 0,
          flushes: 1,
          flushFailures: 0,
          lakeObjects: 0,
          virtualMs: totalMs,
          wallMs: 0,
          virtualMsPerWallMs: 0,
        },
        timeline: [{ atMs: 0, lane: 'gateway', kind: 'start', detail: '<script>x</script>' }],
        coverage: {},
        lakeObjects: new Map(),
      };
    },
  };
}

export const root = mkdtempSync(join(tmpdir(), 'lakesync-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runCount = 0;

export async function run(
  argv: string[],
  engine: SimEngine | null = fakeEngine(),
  invocation: Invocation | undefined = undefined,
  prepare: (dir: string) => void = () => {},
) {
  const dir = join(root, `run-${runCount++}`);
  mkdirSync(dir, { recursive: true });
  prepare(dir);
  let stdout = '';
  let stderr = '';
  let nowMs = 0;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { isTTY: false, write: (text: string) => (stderr += text) },
    env: {},
    cwd: dir,
    freshSeed: () => 4242,
    wallNowMs: () => (nowMs += 7),
    ...(invocation === undefined ? {} : { invocation }),
  };
  const loadEngine = async () =>
    engine === null
      ? { ok: false as const, error: 'the simulation engine is not yet implemented' }
      : { ok: true as const, value: engine };
  const status = await runCli(argv, io, {
    loadEngine,
    minPlanDir: join(dir, 'reports'),
    defaultReportDir: join(dir, 'reports', 'sim'),
  });
  return { status, stdout, stderr, dir };
}
