import type { FaultRates, Plan, RunResult } from '../types';
import { DEFAULT_SHRINK_OPTIONS, type ShrinkReport, shrinkPlan } from './shrink';

/** What `shrinkSameOracle` needs from a simulator build (the real one, or a patched copy). */
export interface ShrinkEngine {
  runPlan(plan: Plan): Promise<RunResult>;
  minimumHealMs?(faults: FaultRates, durationMs: number): number;
}

/**
 * Shrinks a failed run's plan, keeping candidates whose first (root-cause) violation comes from
 * the same oracle, within `runsMax` runs (default: the CLI's budget). The heal phase never goes
 * below the build's `minimumHealMs` for the candidate, with the skew bound raised to cover the
 * clock events it still holds, so a liveness failure keeps its meaning.
 */
export async function shrinkSameOracle(
  engine: ShrinkEngine,
  failed: RunResult,
  runsMax: number = DEFAULT_SHRINK_OPTIONS.shrinkRunsMax,
): Promise<ShrinkReport | null> {
  const oracle = failed.violations[0]?.oracle;
  if (oracle === undefined) return null;
  const stillFails = async (candidate: Plan): Promise<boolean> => {
    try {
      return (await engine.runPlan(candidate)).violations[0]?.oracle === oracle;
    } catch {
      return false;
    }
  };
  const minimumHealMs = engine.minimumHealMs;
  const healMsFloor =
    minimumHealMs === undefined
      ? failed.plan.config.healMs
      : (candidate: Plan): number => {
          const { faults, durationMs } = candidate.config;
          let clockSkewMsMax = faults.clockSkewMsMax;
          for (const event of candidate.events) {
            if (event.kind === 'clock-skew' || event.kind === 'clock-jump') {
              const magnitude = Math.abs(event.kind === 'clock-skew' ? event.skewMs : event.jumpMs);
              clockSkewMsMax = Math.max(clockSkewMsMax, magnitude);
            }
          }
          return minimumHealMs({ ...faults, clockSkewMsMax }, durationMs);
        };
  return shrinkPlan(failed.plan, stillFails, { shrinkRunsMax: runsMax, healMsFloor });
}
