import { performance } from 'node:perf_hooks';
import { SUITES, type SuiteEntry } from '../suites/index';
import { runBunChild } from './bun-child';
import { sink } from './measure';
import { type ReportPaths, writeReportFiles } from './report-files';
import { currentRuntime, fullGc, machineInfo } from './runtime';
import { FULL_BUDGET, QUICK_BUDGET, type SuiteContext } from './suite';
import type { BenchReport, BenchRow, Curve, RuntimeReport } from './types';

/** How one invocation of the runner behaves. */
export interface RunnerOptions {
  readonly quick: boolean;
  /** Also measure under Bun in a child process. */
  readonly bun: boolean;
  /** Suite ids to run; `null` for all. */
  readonly only: readonly string[] | null;
  /** Directory for the report files; `null` writes none. */
  readonly outDir: string | null;
  readonly log: (line: string) => void;
}

/** Picks the catalogue entries to run; throws on an unknown id (a typo must not run nothing). */
export function selectSuites(only: readonly string[] | null): SuiteEntry[] {
  if (only === null) return [...SUITES];
  const unknown = only.filter((id) => !SUITES.some((entry) => entry.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.map((entry) => entry.id).join(', ')}`,
    );
  }
  return SUITES.filter((entry) => only.includes(entry.id));
}

/**
 * Runs the selected suites under the current runtime, one after another. A suite that throws
 * (including the deltaId equality check) is recorded as a failure with its message and the
 * others still run.
 */
export async function runSuites(
  options: Pick<RunnerOptions, 'quick' | 'only' | 'log'>,
): Promise<RuntimeReport> {
  const runtime = currentRuntime();
  const gc = fullGc();
  const context: SuiteContext = {
    quick: options.quick,
    runtime: runtime.name,
    budget: options.quick ? QUICK_BUDGET : FULL_BUDGET,
    gc,
    log: options.log,
  };
  const rows: BenchRow[] = [];
  const curves: Curve[] = [];
  const failures: { suite: string; message: string }[] = [];
  const started = performance.now();
  for (const entry of selectSuites(options.only)) {
    const suiteStarted = performance.now();
    options.log(`[${runtime.name}] ${entry.id} …`);
    try {
      const suite = await entry.load();
      const outcome = await suite.run(context);
      rows.push(...outcome.rows);
      curves.push(...(outcome.curves ?? []));
      for (const row of outcome.rows)
        options.log(
          `[${runtime.name}]   ${row.verdict} ${row.title}: ratio ${row.ratio.toPrecision(3)} (${row.target.text})`,
        );
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      failures.push({ suite: entry.id, message });
      options.log(`[${runtime.name}] FAILED ${entry.id}: ${message}`);
    }
    options.log(
      `[${runtime.name}] ${entry.id} took ${((performance.now() - suiteStarted) / 1_000).toFixed(1)} s`,
    );
    gc?.();
  }
  options.log(`[${runtime.name}] done (sink ${sink()})`);
  return {
    runtime: runtime.name,
    runtimeVersion: runtime.version,
    gcAvailable: gc !== null,
    rows,
    curves,
    failures,
    wallMs: performance.now() - started,
  };
}

/**
 * The whole benchmark: the suites under this runtime, then (unless told not to) under Bun in a
 * child process, then the report files. `exitCode` is 1 when a suite failed outright or the Bun
 * child gave no figures, else 0; a missed target is reported, not an exit failure.
 */
export async function runBench(
  options: RunnerOptions,
): Promise<{ report: BenchReport; paths: ReportPaths | null; exitCode: number }> {
  const date = new Date().toISOString();
  const machineAtStart = machineInfo({ nodeVersion: null, bunVersion: null });
  const runtimes: RuntimeReport[] = [await runSuites(options)];
  const notes: string[] = [];
  let childFailed = false;
  if (options.bun) {
    options.log('[bun] starting npx bun bench/main.ts --child');
    const child = await runBunChild({ quick: options.quick, only: options.only });
    if ('report' in child) {
      runtimes.push(child.report);
    } else {
      childFailed = true;
      notes.push(`No Bun figures: ${child.error}`);
      options.log(`[bun] FAILED: ${child.error}`);
    }
  } else if (currentRuntime().name === 'node') {
    notes.push('Bun was not measured in this run (--no-bun).');
  }
  const versionOf = (name: string): string | null =>
    runtimes.find((runtime) => runtime.runtime === name)?.runtimeVersion ?? null;
  const report: BenchReport = {
    version: 1,
    date,
    quick: options.quick,
    machine: { ...machineAtStart, nodeVersion: versionOf('node'), bunVersion: versionOf('bun') },
    runtimes,
    notes,
  };
  const paths = options.outDir === null ? null : writeReportFiles(options.outDir, report);
  const failed = childFailed || runtimes.some((runtime) => runtime.failures.length > 0);
  return { report, paths, exitCode: failed ? 1 : 0 };
}
