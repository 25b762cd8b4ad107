import { join } from 'node:path';
import type { LakeAdapter } from '../../src/adapter/types';
import { type ShrinkReport, shrinkPlan } from '../shrink/shrink';
import type { Plan } from '../types';
import { checkPlan, type FailureSignature, failsWith } from './check-plan';
import type { SimEngine } from './engine';
import { writePlanFile } from './plan-file';

/** Where and how a failure is shrunk. */
export interface ShrinkFailureOptions {
  readonly signature: FailureSignature;
  readonly shrinkRunsMax: number;
  /** The plan lands at `<minPlanDir>/<seed>-min.json`. */
  readonly minPlanDir: string;
  readonly lake: LakeAdapter | null;
  /** Called before each shrink run with the run number (1-based) and the budget. */
  readonly onRun?: (run: number, runsMax: number) => void;
}

/**
 * The shortest heal phase the shrinker may try for a candidate: the engine's `minimumHealMs` for
 * the candidate's fault rates and fault phase, with the skew and drift bounds raised to cover the
 * clock skews, jumps and drifts its events still hold (a shrunk plan's rates may be zero while such
 * events remain). Without `minimumHealMs` the heal phase keeps the original plan's length.
 */
export function healMsFloor(engine: SimEngine, original: Plan): (candidate: Plan) => number {
  const minimumHealMs = engine.minimumHealMs;
  if (minimumHealMs === undefined) return () => original.config.healMs;
  return (candidate) => {
    const { faults, durationMs } = candidate.config;
    let clockSkewMsMax = faults.clockSkewMsMax;
    let clockDriftPpmMax = faults.clockDriftPpmMax;
    for (const event of candidate.events) {
      if (event.kind === 'clock-skew') {
        clockSkewMsMax = Math.max(clockSkewMsMax, Math.abs(event.skewMs));
        clockDriftPpmMax = Math.max(clockDriftPpmMax, Math.abs(event.driftPpm));
      }
      if (event.kind === 'clock-jump')
        clockSkewMsMax = Math.max(clockSkewMsMax, Math.abs(event.jumpMs));
    }
    return minimumHealMs({ ...faults, clockSkewMsMax, clockDriftPpmMax }, durationMs);
  };
}

/** The minimal plan found and where it was written. */
export interface ShrunkFailure {
  readonly plan: Plan;
  /** `null` when shrinking was off (`shrinkRunsMax` 0): the original plan was written. */
  readonly report: ShrinkReport | null;
  readonly planPath: string;
  /** Set when the plan could not be written. */
  readonly writeError: string | null;
}

/**
 * Shrinks a failing plan with `shrinkPlan`, keeping only candidates that fail with the same
 * signature (same oracle, or a crash), and writes the smallest to `<minPlanDir>/<seed>-min.json`.
 * A plan that cannot be written is reported in `writeError`, never thrown.
 */
export async function shrinkFailure(
  engine: SimEngine,
  plan: Plan,
  options: ShrinkFailureOptions,
): Promise<ShrunkFailure> {
  let report: ShrinkReport | null = null;
  if (options.shrinkRunsMax > 0 && options.signature !== null) {
    let run = 0;
    const stillFails = async (candidate: Plan): Promise<boolean> => {
      run++;
      options.onRun?.(run, options.shrinkRunsMax);
      const outcome = await checkPlan(engine, candidate, {
        lake: options.lake,
        determinism: options.signature === 'determinism',
      });
      return failsWith(outcome, options.signature);
    };
    report = await shrinkPlan(plan, stillFails, {
      shrinkRunsMax: options.shrinkRunsMax,
      healMsFloor: healMsFloor(engine, plan),
    });
  }
  const minimal = report?.plan ?? plan;
  const planPath = join(options.minPlanDir, `${plan.seed}-min.json`);
  const written = writePlanFile(planPath, minimal);
  return { plan: minimal, report, planPath, writeError: written.ok ? null : written.error };
}
