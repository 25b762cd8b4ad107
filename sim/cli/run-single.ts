import { isAbsolute, relative } from 'node:path';
import { groupDigits } from '../report/summary-rows';
import { describePlanSize } from '../shrink/plan-size';
import type { Plan } from '../types';
import { checkPlan, failureSignature, type RunOutcome, withLakeCheck } from './check-plan';
import { type CliContext, invocationOf, say } from './context';
import { runStatus } from './exit-status';
import { type LakeTarget, openLakeTarget } from './lake-target';
import { writeOutcomeReport } from './outcome-report';
import { replayCommand } from './paths';
import { Progress } from './progress';
import { type ShrunkFailure, shrinkFailure } from './shrink-failure';
import { formatSummaryTable } from './summary-table';
import { singleVerdict } from './verdict';

/** Most violations printed; the report lists more. */
export const VIOLATIONS_PRINTED_MAX = 10;

/** One plan to run, and how to present it. */
export interface SingleRun {
  readonly plan: Plan;
  /** First line printed, e.g. `seed: 7`. */
  readonly header: string;
  /** What the verdict line calls the run, e.g. `seed 7`. */
  readonly label: string;
  /** The command that reruns this exact run, for the report of a passing run. */
  readonly rerunCommand: string;
}

/**
 * Runs one plan (a seed or a replayed file) and reports it: summary table, `trace hash: <hex>`,
 * the lake round trip (unless `--lake none`), the HTML/JSON report, on a violation the broken
 * oracle and the shrunk plan in `reports/<seed>-min.json`, and last the verdict line (with the one
 * replay command after a failure). Resolves to the exit status (`exit-status.ts`): 0 iff every
 * oracle held and everything asked for ran and was written; 1 on a violation or crash; 3 when the
 * lake could not be reached or a report or plan file could not be written.
 */
export async function runSingle(context: CliContext, run: SingleRun): Promise<number> {
  say(context, run.header);
  let outcome = await runWithProgress(context, run.plan);
  let target: LakeTarget | null = null;
  if (context.options.lake === 'embedded' && failureSignature(outcome) === null) {
    const opened = await openLakeTarget(context.options, context.io.env);
    if (opened.ok) {
      target = opened.value;
      outcome = await withLakeCheck(outcome, target.adapter);
    } else if (outcome.kind === 'ran') {
      outcome = { ...outcome, lakeError: opened.error };
    }
  }
  try {
    printRun(context, outcome, target);
    const lakeChecked = outcome.kind === 'ran' && outcome.lake !== null;
    const problems: string[] = [];
    if (outcome.kind === 'ran' && outcome.lakeError !== null)
      problems.push('the lake round trip could not run');
    if (failureSignature(outcome) === null) {
      if (!writeReport(context, outcome, null, run.rerunCommand, lakeChecked))
        problems.push('the report was not written');
      say(
        context,
        singleVerdict({ label: run.label, outcome, lakeChecked, command: null, problems }),
      );
      return runStatus(false, problems.length > 0);
    }
    printViolations(context, outcome);
    const shrunk = await shrinkWithProgress(context, outcome, target);
    const command = failureCommand(context, run, shrunk);
    if (!writeReport(context, outcome, shrunk, command, lakeChecked))
      problems.push('the report was not written');
    if (shrunk.writeError !== null) {
      say(context, `minimal plan not written: ${shrunk.writeError}`);
      problems.push('the minimal plan was not written');
    } else {
      say(context, `minimal plan: ${displayPath(context, shrunk.planPath)}`);
    }
    say(context, singleVerdict({ label: run.label, outcome, lakeChecked, command, problems }));
    return runStatus(true, problems.length > 0);
  } finally {
    await target?.close();
  }
}

/** The replay command of the minimal plan, or the rerun command when it could not be written. */
function failureCommand(context: CliContext, run: SingleRun, shrunk: ShrunkFailure): string {
  return shrunk.writeError === null
    ? replayCommand(shrunk.planPath, context.io.cwd, invocationOf(context))
    : run.rerunCommand;
}

async function runWithProgress(context: CliContext, plan: Plan): Promise<RunOutcome> {
  const progress = newProgress(context, `seed ${plan.seed}`);
  const onProgress = (virtualMs: number, totalMs: number): void =>
    progress.update(
      virtualMs,
      totalMs,
      `${Math.floor(virtualMs / 1000)}/${Math.floor(totalMs / 1000)} s virtual (run twice)`,
    );
  const outcome = await checkPlan(context.engine, plan, {
    lake: null,
    determinism: true,
    onProgress,
  });
  progress.finish();
  return outcome;
}

function printRun(context: CliContext, outcome: RunOutcome, target: LakeTarget | null): void {
  if (outcome.kind === 'crashed') {
    say(context, `CRASH: the engine threw: ${outcome.message}`);
    return;
  }
  const { result, lake, lakeError } = outcome;
  if (!context.options.quiet) say(context, formatSummaryTable(result.stats));
  if (lake !== null && target !== null) {
    const verdict = lake.violation === null ? 'read back identical' : 'read back DIFFERENT';
    say(
      context,
      `lake round trip: ${plural(lake.objects, 'object')}, ${plural(lake.bytes, 'byte')}, ${plural(lake.rows, 'row')} via ${target.description}: ${verdict}`,
    );
  }
  if (lakeError !== null) say(context, `lake round trip could not run: ${lakeError}`);
  say(context, `trace hash: ${result.traceHash}`);
}

function printViolations(context: CliContext, outcome: RunOutcome): void {
  if (outcome.kind === 'crashed') return;
  const { violations } = outcome.result;
  for (const violation of violations.slice(0, VIOLATIONS_PRINTED_MAX)) {
    say(context, `FAIL ${violation.oracle} at ${violation.atMs} ms: ${violation.message}`);
  }
  if (violations.length > VIOLATIONS_PRINTED_MAX) {
    say(
      context,
      `  … and ${violations.length - VIOLATIONS_PRINTED_MAX} more violations (see the report)`,
    );
  }
}

async function shrinkWithProgress(
  context: CliContext,
  outcome: RunOutcome,
  target: LakeTarget | null,
): Promise<ShrunkFailure> {
  const plan = outcome.kind === 'crashed' ? outcome.plan : outcome.result.plan;
  const progress = newProgress(context, 'shrinking');
  const shrunk = await shrinkFailure(context.engine, plan, {
    signature: failureSignature(outcome),
    shrinkRunsMax: context.options.shrinkRunsMax,
    minPlanDir: context.minPlanDir,
    lake: target?.adapter ?? null,
    onRun: (run, runsMax) => progress.update(run, runsMax, `run ${run} of at most ${runsMax}`),
  });
  progress.finish();
  if (shrunk.report !== null) {
    const { runs, before, after } = shrunk.report;
    const sizes =
      JSON.stringify(before) === JSON.stringify(after)
        ? `already minimal: ${describePlanSize(after)}`
        : `${describePlanSize(before)} → ${describePlanSize(after)}`;
    say(context, `shrunk in ${runs} runs: ${sizes}`);
  }
  return shrunk;
}

function writeReport(
  context: CliContext,
  outcome: RunOutcome,
  shrunk: ShrunkFailure | null,
  command: string,
  lakeChecked: boolean,
): boolean {
  const written = writeOutcomeReport(outcome, {
    reportDir: context.reportDir,
    lakeChecked,
    shrunk,
    command,
  });
  if (!written.ok) {
    say(context, `report not written: ${written.error}`);
    return false;
  }
  if (written.value !== null && !context.options.quiet)
    say(context, `report: ${displayPath(context, written.value)}`);
  return true;
}

function newProgress(context: CliContext, label: string): Progress {
  return new Progress({
    sink: context.io.stderr,
    now: context.io.wallNowMs,
    enabled: !context.options.quiet,
    label,
  });
}

function plural(count: number, noun: string): string {
  return `${groupDigits(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** `path` relative to the current directory when it lies below it, else absolute. */
export function displayPath(context: Pick<CliContext, 'io'>, path: string): string {
  const relativePath = relative(context.io.cwd, path);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}
