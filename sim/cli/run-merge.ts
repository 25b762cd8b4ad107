import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { renderMergedReport } from '../report/merge-html';
import { groupDigits } from '../report/summary-rows';
import { type CliContext, invocationOf, say } from './context';
import { EXIT_USAGE, runStatus } from './exit-status';
import { findSummaryFiles, type MergedReport, mergeSummaries, readSummaries } from './merge';
import { replayCommand } from './paths';
import { displayPath } from './run-single';
import { sweepVerdict } from './verdict';

/** What a merge works with: no engine, it runs nothing. */
export type MergeContext = Pick<CliContext, 'io' | 'options' | 'reportDir'>;

/**
 * `--merge DIR…`: reads every sweep summary (`--summary-json` files) under the folders given,
 * merges them (`mergeSummaries`), prints one line per configuration, one per failing seed and the
 * verdict, writes `<report dir>/merged.html` and, with `--summary-json FILE`, the merged JSON.
 * Resolves to the exit status: 2 when the summaries cannot be read or contradict each other, 3
 * when shards are missing or files cannot be written, else 1 iff a seed failed.
 */
export function runMerge(context: MergeContext, paths: readonly string[]): number {
  const { io } = context;
  const located = findSummaryFiles(paths.map((path) => resolve(io.cwd, path)));
  const found = located.ok ? readSummaries(located.value) : located;
  const merged = found.ok ? mergeSummaries(found.value) : found;
  if (!merged.ok) {
    io.stderr.write(`error: ${merged.error}\n`);
    return EXIT_USAGE;
  }
  const report = withLocalPlans(context, merged.value, located.ok ? located.value : []);
  for (const group of report.groups) say(context, groupLine(group));
  for (const group of report.groups) {
    for (const failure of group.failures) {
      const command = failure.command === null ? '' : ` → ${failure.command}`;
      say(
        context,
        `${group.name} seed ${failure.seed} FAIL ${failure.oracle}: ${failure.message}${command}`,
      );
    }
  }
  if (report.slowest !== null)
    say(
      context,
      `slowest seed: ${report.slowest.seed} (${report.slowest.group}), ${(report.slowest.wallMs / 1000).toFixed(2)} s wall`,
    );
  for (const problem of report.problems) say(context, `incomplete: ${problem}`);
  const problems = report.problems.length > 0 ? ['see the lines marked incomplete'] : [];
  const failures = report.groups.flatMap((group) =>
    group.failures.map((failure) => ({
      seed: failure.seed,
      what: failure.oracle === 'crash' ? 'CRASH' : failure.oracle,
      command: failure.command,
    })),
  );
  const files = report.groups.reduce((count, group) => count + group.files.length, 0);
  const verdictOf = (extra: readonly string[]): string =>
    sweepVerdict({
      label: `merged ${groupDigits(files)} summaries`,
      total: report.seedsTotal,
      run: report.seedsRun,
      failures,
      problems: [...problems, ...extra],
    });
  const writeProblem = writeMergeFiles(context, report, verdictOf([]));
  if (writeProblem !== null) {
    say(context, writeProblem);
    problems.push('the merged report was not written');
  }
  say(context, verdictOf([]));
  return runStatus(report.failures > 0, problems.length > 0);
}

/**
 * The report with each failure's command pointing at its plan where the merge found it (a seed
 * farm uploads `<seed>-min.json` beside each summary), printed the way this merge was started, so
 * the command runs as printed here rather than only on the machine that ran the shard.
 */
function withLocalPlans(
  context: MergeContext,
  report: MergedReport,
  files: readonly string[],
): MergedReport {
  const plans = files.filter((file) => file.endsWith('-min.json'));
  const groups = report.groups.map((group) => ({
    ...group,
    failures: group.failures.map((failure) => {
      const folder = `${dirname(failure.summaryFile)}${sep}`;
      const plan = plans.find(
        (file) => file.startsWith(folder) && basename(file) === `${failure.seed}-min.json`,
      );
      return plan === undefined
        ? failure
        : { ...failure, command: replayCommand(plan, context.io.cwd, invocationOf(context)) };
    }),
  }));
  return { ...report, groups };
}

function groupLine(group: MergedReport['groups'][number]): string {
  const shards = group.shards.length === 0 ? 'unsharded' : `shards ${group.shards.join(' ')}`;
  const missing =
    group.missingShards.length === 0 ? '' : `, MISSING ${group.missingShards.join(' ')}`;
  return (
    `${group.name}: ${groupDigits(group.seedsRun)} of ${groupDigits(group.seedsTotal)} seeds run (${shards}${missing}), ` +
    `${groupDigits(group.passed)} passed, ${groupDigits(group.failures.length)} failed, ` +
    `${(group.wallMs / 1000).toFixed(1)} s wall summed; trace hash: ${group.traceHash}`
  );
}

/** Writes merged.html (and the merged JSON when asked); the problem to print, or `null`. */
function writeMergeFiles(
  context: MergeContext,
  report: MergedReport,
  verdict: string,
): string | null {
  const htmlPath = join(context.reportDir, 'merged.html');
  try {
    mkdirSync(context.reportDir, { recursive: true });
    writeFileSync(htmlPath, renderMergedReport(report, verdict));
    if (context.options.summaryJson !== null)
      writeFileSync(
        resolve(context.io.cwd, context.options.summaryJson),
        `${JSON.stringify(report, null, 2)}\n`,
      );
  } catch (caught) {
    return `merged report not written: ${caught instanceof Error ? caught.message : String(caught)}`;
  }
  if (!context.options.quiet) say(context, `report: ${displayPath(context, htmlPath)}`);
  return null;
}
