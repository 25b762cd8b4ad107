import type { PlanSize } from '../shrink/plan-size';
import type { FaultProfileName, Plan, RunResult, RunStats, SimConfig, Violation } from '../types';
import { checkPlan, failureSignature, type RunOutcome } from './check-plan';
import type { SimEngine } from './engine';
import type { Invocation } from './invocation';
import { writeOutcomeReport } from './outcome-report';
import { replayCommand, seedCommand } from './paths';
import { shrinkFailure } from './shrink-failure';

/** What shapes every seed of a `--seeds` run (plain data: it crosses to worker threads). */
export interface SeedSettings {
  readonly clients: number | null;
  readonly durationMs: number | null;
  readonly faults: FaultProfileName | null;
  readonly shrinkRunsMax: number;
  /** Run each passing seed twice and compare trace hashes. */
  readonly determinism: boolean;
  readonly reportDir: string;
  readonly minPlanDir: string;
  /** How the simulator was started, for the commands printed and put in reports. */
  readonly invocation: Invocation;
  /** The user's current folder, for the paths in those commands. */
  readonly cwd: string;
}

/** The verdict on one seed (plain data: it crosses back from worker threads). */
export interface SeedOutcome {
  readonly seed: number;
  readonly ok: boolean;
  /** Empty when the engine crashed. */
  readonly traceHash: string;
  readonly firstViolation: Violation | null;
  readonly violationCount: number;
  /** The engine's exception, when it threw instead of returning a result. */
  readonly crash: string | null;
  readonly stats: RunStats | null;
  /** Fault kind × phase counts of the run (`RunResult.coverage`), `null` after a crash. */
  readonly coverage: RunResult['coverage'] | null;
  /** The one command that reproduces this seed's failure (replay, else rerun); `null` if it passed. */
  readonly command: string | null;
  readonly shrink: {
    readonly runs: number;
    readonly before: PlanSize;
    readonly after: PlanSize;
  } | null;
  /** Where the minimal plan was written, or `null` when the seed passed or writing failed. */
  readonly minPlanPath: string | null;
  readonly reportPath: string | null;
  /** Problems writing files, to print beside the verdict. */
  readonly problems: readonly string[];
}

/** The plan of `seed` under `settings`: the engine's defaults with the command line's overrides. */
export function planForSeed(
  engine: SimEngine,
  seed: number,
  settings: Pick<SeedSettings, 'clients' | 'durationMs' | 'faults'>,
): Plan {
  const overrides: { -readonly [K in keyof SimConfig]?: SimConfig[K] } = {};
  if (settings.clients !== null) overrides.clients = settings.clients;
  if (settings.durationMs !== null) overrides.durationMs = settings.durationMs;
  if (settings.faults !== null) overrides.faultProfile = settings.faults;
  return engine.generatePlan(engine.defaultSimConfig(seed, overrides));
}

/**
 * Runs one seed of a `--seeds` run: generate, run, and on failure shrink (when `shrink` is set),
 * write `<minPlanDir>/<seed>-min.json` (the unshrunk plan when not shrinking) and the HTML/JSON
 * report. No lake round trip (that is for single runs). Never throws: an engine crash is a
 * failing outcome.
 */
export async function runSeedTask(
  engine: SimEngine,
  seed: number,
  settings: SeedSettings,
  shrink = true,
): Promise<SeedOutcome> {
  let plan: Plan;
  try {
    plan = planForSeed(engine, seed, settings);
  } catch (caught) {
    return {
      ...verdict(seed, null),
      crash: `generatePlan threw: ${describeThrown(caught)}`,
      command: seedCommand(seed, { ...settings, lake: 'none' }, settings.invocation),
    };
  }
  const outcome = await checkPlan(engine, plan, { lake: null, determinism: settings.determinism });
  const signature = failureSignature(outcome);
  if (signature === null) return verdict(seed, outcome);
  const shrunk = await shrinkFailure(engine, plan, {
    signature,
    shrinkRunsMax: shrink ? settings.shrinkRunsMax : 0,
    minPlanDir: settings.minPlanDir,
    lake: null,
  });
  const command =
    shrunk.writeError === null
      ? replayCommand(shrunk.planPath, settings.cwd, settings.invocation)
      : seedCommand(seed, { ...settings, lake: 'none' }, settings.invocation);
  const report = writeOutcomeReport(outcome, {
    reportDir: settings.reportDir,
    lakeChecked: false,
    shrunk,
    command,
  });
  const problems = [shrunk.writeError, report.ok ? null : report.error].filter(
    (problem): problem is string => problem !== null,
  );
  const { report: shrinkReport } = shrunk;
  return {
    ...verdict(seed, outcome),
    shrink:
      shrinkReport === null
        ? null
        : { runs: shrinkReport.runs, before: shrinkReport.before, after: shrinkReport.after },
    minPlanPath: shrunk.writeError === null ? shrunk.planPath : null,
    reportPath: report.ok ? report.value : null,
    problems,
    command,
  };
}

/** The verdict of one run, before any shrinking or reporting. */
function verdict(seed: number, outcome: RunOutcome | null): SeedOutcome {
  const ran = outcome?.kind === 'ran' ? outcome.result : null;
  return {
    seed,
    ok: ran?.ok ?? false,
    traceHash: ran?.traceHash ?? '',
    firstViolation: ran?.violations[0] ?? null,
    violationCount: ran?.violations.length ?? 0,
    crash: outcome?.kind === 'crashed' ? outcome.message : null,
    stats: ran?.stats ?? null,
    coverage: ran?.coverage ?? null,
    command: null,
    shrink: null,
    minPlanPath: null,
    reportPath: null,
    problems: [],
  };
}

/** The message (with stack, when there is one) of something thrown. */
export function describeThrown(caught: unknown): string {
  return caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
}
