import type { MeasureBudget } from './measure';
import type { BenchRow, Curve, RuntimeName } from './types';

/** What every suite is given: the mode, the runtime and a way to force garbage collection. */
export interface SuiteContext {
  /** `--quick`: tiny inputs and budgets, for a fast pass and the end-to-end test. */
  readonly quick: boolean;
  readonly runtime: RuntimeName;
  /** Timing budget for rate comparisons in this mode. */
  readonly budget: MeasureBudget;
  /** Full garbage collection, or `null` when the runtime cannot force one. */
  readonly gc: (() => void) | null;
  /** Progress output (stderr), one line per call. */
  readonly log: (line: string) => void;
}

/** What a suite produced. */
export interface SuiteOutcome {
  readonly rows: readonly BenchRow[];
  readonly curves?: readonly Curve[];
}

/** One benchmark suite: a file in `bench/suites/`. */
export interface Suite {
  /** Short stable name, accepted by `--only`. */
  readonly id: string;
  readonly title: string;
  run(context: SuiteContext): Promise<SuiteOutcome>;
}

/** Budgets: the full run must fit about 8 minutes on 2 cores for both runtimes together. */
export const FULL_BUDGET: MeasureBudget = { timeMs: 400, warmupMs: 200, samplesMin: 10, rounds: 5 };
export const QUICK_BUDGET: MeasureBudget = { timeMs: 25, warmupMs: 10, samplesMin: 3, rounds: 1 };
