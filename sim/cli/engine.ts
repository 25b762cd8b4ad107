import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Err, Ok, type Result } from '../../src/result/result';
import type { FaultProfileName, FaultRates, Plan, RunResult, SimConfig } from '../types';

/** Options of one run, as `sim/index.ts` accepts them. */
export interface RunPlanOptions {
  /** Called now and then with the virtual time reached and the run's total virtual time. */
  readonly onProgress?: (virtualMs: number, totalMs: number) => void;
}

/**
 * What the CLI needs from the engine (`sim/index.ts`): build a plan from a seed, run it. The CLI
 * loads the engine at run time so that a missing engine is a clear message, not a crash.
 */
export interface SimEngine {
  generatePlan(config: SimConfig): Plan;
  defaultSimConfig(seed: number, overrides?: Partial<SimConfig>): SimConfig;
  faultProfile(name: FaultProfileName): FaultRates;
  runPlan(plan: Plan, options?: RunPlanOptions): Promise<RunResult>;
  /**
   * Optional: the shortest heal phase in which a correct system always settles, for these fault
   * rates and this fault phase. When exported, the shrinker never shortens the heal phase below it
   * (so a shrunk plan cannot fail liveness merely for lack of time); without it the heal phase is
   * left alone.
   */
  minimumHealMs?(faults: FaultRates, durationMs: number): number;
}

const ENGINE_FUNCTIONS = ['generatePlan', 'defaultSimConfig', 'faultProfile', 'runPlan'] as const;

/**
 * Loads `sim/index.ts`. Resolves to `Err` with a "not yet implemented" message when the file is
 * missing or lacks one of the four functions, and with the loader's message when it fails to load
 * (a syntax error, or a module it imports is missing). Never throws.
 */
export async function loadEngine(
  specifier: string = new URL('../index.ts', import.meta.url).href,
): Promise<Result<SimEngine, string>> {
  if (specifier.startsWith('file:') && !existsSync(fileURLToPath(specifier))) {
    return Err(
      'the simulation engine is not yet implemented: sim/index.ts is missing ' +
        '(it must export generatePlan, defaultSimConfig, faultProfile and runPlan)',
    );
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return Err(`the simulation engine (sim/index.ts) failed to load: ${message}`);
  }
  const missing = ENGINE_FUNCTIONS.filter((name) => typeof loaded[name] !== 'function');
  if (missing.length > 0) {
    return Err(
      `the simulation engine is not yet implemented: sim/index.ts does not export ${missing.join(', ')}`,
    );
  }
  return Ok(loaded as unknown as SimEngine);
}
