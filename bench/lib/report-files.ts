import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from './report-markdown';
import { renderSvg } from './report-svg';
import type { BenchReport, RuntimeReport } from './types';

/** Where the report files went. */
export interface ReportPaths {
  readonly markdown: string;
  readonly json: string;
  readonly svg: string;
}

/**
 * The report as JSON: two-space indented, numbers as measured (`NaN` and infinities, which JSON
 * cannot carry, become `null`).
 */
export function renderJson(report: BenchReport | RuntimeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes `bench.md`, `bench.json` and `bench.svg` into `dir`, creating it when missing. */
export function writeReportFiles(dir: string, report: BenchReport): ReportPaths {
  mkdirSync(dir, { recursive: true });
  const paths: ReportPaths = {
    markdown: join(dir, 'bench.md'),
    json: join(dir, 'bench.json'),
    svg: join(dir, 'bench.svg'),
  };
  writeFileSync(paths.markdown, renderMarkdown(report));
  writeFileSync(paths.json, renderJson(report));
  writeFileSync(paths.svg, renderSvg(report));
  return paths;
}
