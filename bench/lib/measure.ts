import { Bench, type FnReturnedObject } from 'tinybench';
import { rateQuantity } from './stats';
import type { Quantity } from './types';

/**
 * One side of a comparison: `run` performs `opsPerSample` operations and is timed as one sample;
 * `prepare` (optional) runs just before it, outside the timed window, to give every sample fresh
 * state (a new buffer, new row states) so later samples do not measure a different workload.
 */
export interface BatchTask {
  readonly label: string;
  readonly opsPerSample: number;
  readonly prepare?: () => void;
  /** Like `prepare`, for set-up that must await (opening a gateway); makes the task async. */
  readonly prepareAsync?: () => Promise<void>;
  readonly run: () => void;
}

/** Time budgets for one comparison. `rounds` alternates subject and baseline to spread out load. */
export interface MeasureBudget {
  /** Measured time per task per round, ms (tinybench `time`). */
  readonly timeMs: number;
  /** Warm-up time per task per round, ms (tinybench `warmupTime`). */
  readonly warmupMs: number;
  /** Fewest samples per task per round (tinybench `iterations`). */
  readonly samplesMin: number;
  /** Fewest warm-up calls per task per round (tinybench `warmupIterations`); default 2 to 16. */
  readonly warmupSamplesMin?: number;
  /** `false` skips tinybench's warm-up (for code already warmed by a smaller run); default on. */
  readonly warmup?: boolean;
  readonly rounds: number;
}

/** Warm-up time of every round after the first, ms. */
const LATER_WARMUP_MS = 50;

let sinkValue = 0;

/**
 * Keeps a result observable so the engine cannot drop the work that produced it. Cheap enough
 * to call once per sample (not per operation).
 */
export function consume(value: unknown): void {
  sinkValue = (sinkValue + (value === undefined || value === null ? 0 : 1)) | 0;
}

/** The accumulated sink, read once at the end so `consume` has an observable effect. */
export function sink(): number {
  return sinkValue;
}

/**
 * Measures `subject` and `baseline` with tinybench in the same process, `budget.rounds` times in
 * alternation (subject, baseline, baseline, subject, …, so that a change in machine load hits
 * both alike) after tinybench's warm-up, and returns the median
 * nanoseconds per operation over every sample of every round. Each sample is the mean time of
 * one batch of `opsPerSample` operations, measured with `bench.now()` around `run` only; the
 * whole iteration (with `prepare`) counts towards the time budget. Throws if tinybench reports a
 * task error, so a broken benchmark never yields a figure.
 */
export async function measurePair(
  subject: BatchTask,
  baseline: BatchTask,
  budget: MeasureBudget,
): Promise<{ subject: Quantity; baseline: Quantity }> {
  const samples = new Map<BatchTask, number[]>([
    [subject, []],
    [baseline, []],
  ]);
  for (let round = 0; round < budget.rounds; round++) {
    const order = round % 2 === 0 ? [subject, baseline] : [baseline, subject];
    // The first round warms the code up fully; later rounds only re-warm caches.
    const roundBudget =
      round === 0 ? budget : { ...budget, warmupMs: Math.min(budget.warmupMs, LATER_WARMUP_MS) };
    for (const task of order) {
      samples.get(task)!.push(...(await measureOne(task, roundBudget)));
    }
  }
  return {
    subject: rateQuantity(subject.label, samples.get(subject)!),
    baseline: rateQuantity(baseline.label, samples.get(baseline)!),
  };
}

/** Measures one task once with tinybench and returns its per-operation samples in ns. */
export async function measureOne(task: BatchTask, budget: MeasureBudget): Promise<number[]> {
  const bench = new Bench({
    name: task.label,
    time: budget.timeMs,
    warmupTime: budget.warmupMs,
    iterations: budget.samplesMin,
    warmupIterations: budget.warmupSamplesMin ?? Math.max(2, Math.min(16, budget.samplesMin)),
    warmup: budget.warmup ?? true,
    retainSamples: true,
    timestampProvider: 'auto',
    throws: true,
  });
  const timed = (started: number): FnReturnedObject => {
    const timedFrom = bench.now();
    task.run();
    const finished = bench.now();
    return {
      overriddenDuration: (finished - timedFrom) / task.opsPerSample,
      overriddenIterationCost: finished - started,
    };
  };
  const prepareAsync = task.prepareAsync;
  if (prepareAsync === undefined) {
    bench.add(
      task.label,
      () => {
        const started = bench.now();
        task.prepare?.();
        return timed(started);
      },
      { async: false },
    );
  } else {
    bench.add(
      task.label,
      async () => {
        const started = bench.now();
        await prepareAsync();
        return timed(started);
      },
      { async: true },
    );
  }
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.state !== 'completed') {
    const reason =
      result?.state === 'errored' ? result.error.message : (result?.state ?? 'no task');
    throw new Error(`tinybench task ${task.label} did not complete: ${reason}`);
  }
  const perOpMs = result.latency.samples ?? [];
  return perOpMs.map((ms) => ms * 1e6);
}
