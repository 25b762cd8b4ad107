import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Err, Ok, type Result } from '../../src/result/result';
import { type ReportInput, renderRunReport, runResultJson } from './html-report';

/** Where a run's report files went. */
export interface ReportFiles {
  readonly htmlPath: string;
  readonly jsonPath: string;
}

/**
 * Writes `<dir>/<seed>.html` (the self-contained report) and `<dir>/<seed>.json` (the run without
 * the lake's bytes), creating `dir` when missing. Never throws: a file-system failure is an `Err`
 * with the path and the reason.
 */
export function writeRunReport(dir: string, input: ReportInput): Result<ReportFiles, string> {
  const seed = input.result.plan.seed;
  const htmlPath = join(dir, `${seed}.html`);
  const jsonPath = join(dir, `${seed}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(htmlPath, renderRunReport(input));
    writeFileSync(jsonPath, runResultJson(input.result));
  } catch (caught) {
    return Err(
      `cannot write the report to ${dir}: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
  return Ok({ htmlPath, jsonPath });
}
