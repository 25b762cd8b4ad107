import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding `sim/`), whatever the current directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where minimal failing plans go: `reports/` under the repository root. */
export const MIN_PLAN_DIR = join(REPO_ROOT, 'reports');

/** Default folder of the HTML and JSON run reports. */
export const DEFAULT_REPORT_DIR = join(REPO_ROOT, 'reports', 'sim');

/**
 * The one command that replays the minimal plan of `seed`, exactly as printed on a violation.
 * The path is relative to the repository root, where `bun run` executes package scripts.
 */
export function replayCommand(seed: number): string {
  return `bun run sim --replay reports/${seed}-min.json`;
}

/** The command that reruns `seed` from scratch (used when no minimal plan was written). */
export function seedCommand(seed: number): string {
  return `bun run sim --seed ${seed}`;
}

/** The report folder: `--report DIR` resolved against `cwd`, else `fallback`. */
export function resolveReportDir(
  option: string | null,
  cwd: string,
  fallback: string = DEFAULT_REPORT_DIR,
): string {
  if (option === null) return fallback;
  return isAbsolute(option) ? option : resolve(cwd, option);
}
