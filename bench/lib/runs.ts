import type { BenchReport, RunOutcome, RuntimeName, RuntimeReport, Verdict } from './types';

/**
 * Consecutive runs. The rule is that a target counts as met only when it holds on two
 * runs back to back, so `npm run bench` measures everything twice and the report keeps every
 * run's ratio and verdict beside the last run's full figures. These helpers form a run's
 * outcomes and the verdict over all runs.
 */

/** The outcomes of one run, from its report. */
export function runOutcome(report: BenchReport): RunOutcome {
  return {
    date: report.date,
    loadAverage: report.machine.loadAverage,
    loadAverageEnd: report.machine.loadAverageEnd,
    runtimes: report.runtimes.map((runtime) => ({
      runtime: runtime.runtime,
      rows: runtime.rows.map((row) => ({ id: row.id, ratio: row.ratio, verdict: row.verdict })),
    })),
  };
}

/** A row's verdict over every run, and its ratio in each (`null` where that run lacks the row). */
export interface HeldVerdict {
  readonly verdict: Verdict;
  readonly ratios: readonly (number | null)[];
  /** Runs on which the row passed. */
  readonly held: number;
  /** Runs the report holds (1 when it ran once). */
  readonly runs: number;
}

/**
 * How a row of `runtime` fared over every run of `report`: PASS only if it passed on every run,
 * ERROR if any run could not measure it (or lacked it), MISS otherwise. A single-run report gives
 * that run's verdict.
 */
export function heldVerdict(
  report: BenchReport,
  runtime: RuntimeReport,
  rowId: string,
): HeldVerdict {
  const runs = report.runs;
  if (runs === undefined || runs.length === 0) {
    const row = runtime.rows.find((candidate) => candidate.id === rowId);
    const verdict = row?.verdict ?? 'ERROR';
    return {
      verdict,
      ratios: [row?.ratio ?? null],
      held: verdict === 'PASS' ? 1 : 0,
      runs: 1,
    };
  }
  const outcomes = runs.map((run) => outcomeOf(run, runtime.runtime, rowId));
  const verdicts = outcomes.map((outcome) => outcome?.verdict ?? 'ERROR');
  const held = verdicts.filter((verdict) => verdict === 'PASS').length;
  const verdict: Verdict =
    held === runs.length ? 'PASS' : verdicts.includes('ERROR') ? 'ERROR' : 'MISS';
  return {
    verdict,
    ratios: outcomes.map((outcome) => outcome?.ratio ?? null),
    held,
    runs: runs.length,
  };
}

function outcomeOf(run: RunOutcome, runtime: RuntimeName, rowId: string) {
  return run.runtimes
    .find((candidate) => candidate.runtime === runtime)
    ?.rows.find((row) => row.id === rowId);
}
