/**
 * The benchmark report's vocabulary. A run measures every suite under one runtime and yields a
 * `RuntimeReport`; the parent process (Node) adds the Bun child's `RuntimeReport` and writes one
 * `BenchReport` as Markdown, JSON and SVG. Every figure compared against a target is a ratio of
 * two quantities measured in the same process run.
 */

/** The JavaScript runtimes the runner knows how to drive. */
export type RuntimeName = 'node' | 'bun';

/** Whether a row met its target. `ERROR` means it could not be measured (the note says why). */
export type Verdict = 'PASS' | 'MISS' | 'ERROR';

/**
 * One measured quantity. Rate benchmarks fill `nsPerOp`/`opsPerSec` (medians over samples);
 * other rows (bytes, wall seconds, heap) give just `value` and its `unit`.
 */
export interface Quantity {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** Median nanoseconds per operation, when this is a timed rate. */
  readonly nsPerOp?: number;
  /** Median operations per second, when this is a timed rate. */
  readonly opsPerSec?: number;
  /** Samples behind the median. */
  readonly samples?: number;
  /** Median absolute deviation of the samples, in percent of the median (spread, not error). */
  readonly madPercent?: number;
}

/** A bound on a ratio: `atLeast` passes when ratio ≥ value, `atMost` when ratio ≤ value. */
export interface Target {
  readonly comparison: 'atLeast' | 'atMost';
  readonly value: number;
  /** How the target reads in the report, e.g. `≥ 2 × Yjs`. */
  readonly text: string;
}

/** One row of the report: a subject, its baseline from the same run, their ratio and a verdict. */
export interface BenchRow {
  /** Stable identifier (`delta-buffer.append`), the same under every runtime. */
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  readonly subject: Quantity;
  readonly baseline: Quantity;
  readonly ratio: number;
  /** How the ratio is formed, e.g. `subject ops/s ÷ baseline ops/s`. */
  readonly ratioText: string;
  readonly target: Target;
  readonly verdict: Verdict;
  /** Plain-language context: input sizes, what a MISS means, where the time goes. */
  readonly note?: string;
}

/**
 * One point of a cost curve (simulator scaling). `measured: false` marks an extrapolation from
 * the measured points, never a measurement; its note says how it was obtained.
 */
export interface CurvePoint {
  readonly x: number;
  readonly wallMs: number;
  readonly virtualMs: number;
  /** Writes the plan scheduled. */
  readonly writes: number;
  readonly deltasPushed: number;
  /** Deltas delivered to clients by pulls. */
  readonly deltasPulled: number;
  readonly measured: boolean;
  readonly note?: string;
}

/** How a cost grows along one axis (clients, or deltas). */
export interface Curve {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly points: readonly CurvePoint[];
}

/** Everything one runtime produced. */
export interface RuntimeReport {
  readonly runtime: RuntimeName;
  readonly runtimeVersion: string;
  readonly gcAvailable: boolean;
  readonly rows: readonly BenchRow[];
  readonly curves: readonly Curve[];
  /** Suites that failed outright (an exception), with the message. */
  readonly failures: readonly { readonly suite: string; readonly message: string }[];
  readonly wallMs: number;
}

/** The machine the figures came from. */
export interface MachineInfo {
  readonly os: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly nodeVersion: string | null;
  readonly bunVersion: string | null;
  /** 1-minute load average when the run started; a busy machine makes every figure noisier. */
  readonly loadAverage: number;
  /** 1-minute load average when the run ended. */
  readonly loadAverageEnd: number;
}

/** One row's outcome in one run, kept so that a target can be shown to hold on consecutive runs. */
export interface RowOutcome {
  readonly id: string;
  readonly ratio: number;
  readonly verdict: Verdict;
}

/** The outcomes of one whole run of the benchmark, every runtime. */
export interface RunOutcome {
  /** ISO 8601 timestamp of the run's start. */
  readonly date: string;
  readonly loadAverage: number;
  readonly loadAverageEnd: number;
  readonly runtimes: readonly {
    readonly runtime: RuntimeName;
    readonly rows: readonly RowOutcome[];
  }[];
}

/** The whole report written to `reports/bench.{md,json,svg}`. */
export interface BenchReport {
  readonly version: 1;
  /** ISO 8601 timestamp of the run. */
  readonly date: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly runtimes: readonly RuntimeReport[];
  /** Why a runtime is missing (e.g. `--no-bun`, or the Bun child failed). */
  readonly notes: readonly string[];
  /**
   * Every run in order when the benchmark ran more than once (`--runs N`): `runtimes` gives the
   * last run's figures, and a target is met only if it held on every run. Absent for one run.
   */
  readonly runs?: readonly RunOutcome[];
}
