import { runChild } from './child-process';
import { type ReportPaths, writeReportFiles } from './report-files';
import { runSuites, selectSuites } from './run-suites';
import { runOutcome } from './runs';
import { currentRuntime, loadAverageNow, machineInfo } from './runtime';
import type { BenchReport, RuntimeName, RuntimeReport } from './types';

/** How one invocation of the benchmark behaves. */
export interface RunnerOptions {
  readonly quick: boolean;
  /** Also measure under Bun (when this process is Node). */
  readonly bun: boolean;
  /** Suite ids to run; `null` for all. */
  readonly only: readonly string[] | null;
  /**
   * Run this runtime's suites inside this process instead of one fresh child process per suite
   * (for profiling with `--cpu-prof`; figures may then carry one suite's JIT and heap state into
   * the next).
   */
  readonly inProcess: boolean;
  /**
   * Whole runs of every suite, back to back (at least 1). With more than one the report gives the
   * last run's figures and every run's verdicts, and a target is met only if it held on each.
   */
  readonly runs: number;
  /** Directory for the report files; `null` writes none. */
  readonly outDir: string | null;
  readonly log: (line: string) => void;
}

/** The figures of one runtime so far: child reports, and children that gave none. */
interface Collected {
  readonly parts: RuntimeReport[];
  readonly lost: { suite: string; message: string }[];
}

/**
 * The whole benchmark. Each suite runs in a fresh child process of each runtime (this one's, and
 * Bun unless `bun` is off or this is Bun), suite by suite with the runtimes taking turns, so both
 * runtimes meet the machine in the same state and no suite inherits another's compiled code or
 * heap. Then the report files. `exitCode` is 1 when a suite failed outright or a runtime gave no
 * figures, else 0; a missed target is reported, not an exit failure.
 */
export async function runBench(
  options: RunnerOptions,
): Promise<{ report: BenchReport; paths: ReportPaths | null; exitCode: number }> {
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new RangeError(`runBench: runs must be a positive integer, not ${options.runs}`);
  }
  const runs: { report: BenchReport; failed: boolean }[] = [];
  for (let run = 1; run <= options.runs; run++) {
    if (options.runs > 1) options.log(`run ${run} of ${options.runs}`);
    runs.push(await runOnce(options));
  }
  const last = runs[runs.length - 1]!;
  const report: BenchReport =
    runs.length > 1
      ? { ...last.report, runs: runs.map((run) => runOutcome(run.report)) }
      : last.report;
  const paths = options.outDir === null ? null : writeReportFiles(options.outDir, report);
  return { report, paths, exitCode: runs.some((run) => run.failed) ? 1 : 0 };
}

/** One whole run: every suite under every runtime. */
async function runOnce(options: RunnerOptions): Promise<{ report: BenchReport; failed: boolean }> {
  const date = new Date().toISOString();
  const machineAtStart = machineInfo({ nodeVersion: null, bunVersion: null });
  const entries = selectSuites(options.only);
  const current = currentRuntime().name;
  const runtimes: RuntimeName[] = options.bun && current !== 'bun' ? [current, 'bun'] : [current];
  const collected = new Map<RuntimeName, Collected>(
    runtimes.map((runtime) => [runtime, { parts: [], lost: [] }]),
  );
  if (options.inProcess) {
    collected.get(current)!.parts.push(await runSuites(options));
  }
  for (const entry of entries) {
    for (const runtime of runtimes) {
      if (options.inProcess && runtime === current) continue;
      const child = await runChild({
        runtime,
        suites: [entry.id],
        quick: options.quick,
        log: options.log,
      });
      const into = collected.get(runtime)!;
      if ('report' in child) into.parts.push(child.report);
      else {
        into.lost.push({ suite: entry.id, message: child.error });
        options.log(`[${runtime}] FAILED ${entry.id}: ${child.error}`);
      }
    }
  }
  const notes: string[] = [];
  if (!runtimes.includes('bun')) notes.push('Bun was not measured in this run (--no-bun).');
  const reports: RuntimeReport[] = [];
  for (const [runtime, { parts, lost }] of collected) {
    if (parts.length === 0) {
      notes.push(`No ${runtime} figures: ${lost.map((loss) => loss.message).join('; ')}`);
      continue;
    }
    reports.push(mergeRuntimeReports(parts, lost));
  }
  const versionOf = (name: RuntimeName): string | null =>
    reports.find((report) => report.runtime === name)?.runtimeVersion ?? null;
  const report: BenchReport = {
    version: 1,
    date,
    quick: options.quick,
    machine: {
      ...machineAtStart,
      nodeVersion: versionOf('node'),
      bunVersion: versionOf('bun'),
      loadAverageEnd: loadAverageNow(),
    },
    runtimes: reports,
    notes,
  };
  const failed =
    reports.length < runtimes.length || reports.some((runtime) => runtime.failures.length > 0);
  return { report, failed };
}

/**
 * One runtime's report from the reports of its children (at least one), in order, plus the
 * suites whose child gave no report at all (counted as failures).
 */
export function mergeRuntimeReports(
  parts: readonly RuntimeReport[],
  lost: readonly { suite: string; message: string }[] = [],
): RuntimeReport {
  const first = parts[0];
  if (first === undefined) throw new Error('mergeRuntimeReports needs at least one report');
  return {
    runtime: first.runtime,
    runtimeVersion: first.runtimeVersion,
    gcAvailable: parts.every((part) => part.gcAvailable),
    rows: parts.flatMap((part) => part.rows),
    curves: parts.flatMap((part) => part.curves),
    failures: [...parts.flatMap((part) => part.failures), ...lost],
    wallMs: parts.reduce((sum, part) => sum + part.wallMs, 0),
  };
}
