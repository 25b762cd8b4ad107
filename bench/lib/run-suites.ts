import { performance } from 'node:perf_hooks';
import { SUITES, type SuiteEntry } from '../suites/index';
import { sink } from './measure';
import { currentRuntime, fullGc } from './runtime';
import { FULL_BUDGET, QUICK_BUDGET, type SuiteContext } from './suite';
import type { BenchRow, Curve, RuntimeReport } from './types';

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
export async function runSuites(options: {
  readonly quick: boolean;
  readonly only: readonly string[] | null;
  readonly log: (line: string) => void;
}): Promise<RuntimeReport> {
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
