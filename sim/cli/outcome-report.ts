import { Ok, type Result } from '../../src/result/result';
import { writeRunReport } from '../report/write-report';
import type { RunOutcome } from './check-plan';
import type { ShrunkFailure } from './shrink-failure';

/** Where a report goes and what it says about reproducing the run. */
export interface OutcomeReportOptions {
  readonly reportDir: string;
  readonly lakeChecked: boolean;
  /** The shrunk failure, if the run failed; its replay command then goes in the report. */
  readonly shrunk: ShrunkFailure | null;
  /** The one command that reproduces the run (its replay or rerun), shown in the replay box. */
  readonly command: string;
}

/**
 * Writes `<reportDir>/<seed>.html` and `.json` for a run that produced a result; a crash has no
 * result and gives `Ok(null)`. Resolves to the HTML path; a file-system failure is an `Err` to
 * print, never thrown.
 */
export function writeOutcomeReport(
  outcome: RunOutcome,
  options: OutcomeReportOptions,
): Result<string | null, string> {
  if (outcome.kind === 'crashed') return Ok(null);
  const { result } = outcome;
  const { shrunk } = options;
  const shrink =
    shrunk === null || shrunk.report === null
      ? null
      : {
          runs: shrunk.report.runs,
          before: shrunk.report.before,
          after: shrunk.report.after,
          planPath: shrunk.planPath,
        };
  const written = writeRunReport(options.reportDir, {
    result,
    replayCommand: options.command,
    shrink,
    lakeChecked: options.lakeChecked,
  });
  return written.ok ? Ok(written.value.htmlPath) : written;
}
