import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine, DEFAULT_INVOCATION, type Invocation } from './invocation';

/** The repository root (the folder holding `sim/`), whatever the current directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where minimal failing plans go: `reports/` under the repository root. */
export const MIN_PLAN_DIR = join(REPO_ROOT, 'reports');

/** Default folder of the HTML and JSON run reports. */
export const DEFAULT_REPORT_DIR = join(REPO_ROOT, 'reports', 'sim');

/**
 * A plan path as a replay command should name it: relative to the repository root when below it
 * (`--replay` looks there when the path does not exist from the current folder, and package
 * scripts run there), else relative to `cwd` when below that, else absolute.
 */
export function planPathForCommand(planPath: string, cwd: string): string {
  for (const base of [REPO_ROOT, cwd]) {
    const below = relative(base, planPath);
    if (below !== '' && !below.startsWith('..') && !isAbsolute(below)) return below;
  }
  return planPath;
}

/**
 * The one command that replays a minimal plan, exactly as printed on a violation, in the way the
 * simulator was started (`invocation`).
 */
export function replayCommand(
  planPath: string,
  cwd: string,
  invocation: Invocation = DEFAULT_INVOCATION,
): string {
  return commandLine(invocation, ['--replay', planPathForCommand(planPath, cwd)]);
}

/** The options that reproduce a seed's plan and check, beyond `--seed N`. */
export interface RerunShape {
  readonly clients: number | null;
  readonly durationMs: number | null;
  readonly faults: string | null;
  readonly lake?: 'embedded' | 'none';
  readonly endpoint?: string | null;
  readonly bucket?: string | null;
}

/** The command that reruns `seed` from scratch with the options that shaped it. */
export function seedCommand(
  seed: number,
  shape: RerunShape,
  invocation: Invocation = DEFAULT_INVOCATION,
): string {
  const options = ['--seed', String(seed)];
  if (shape.clients !== null) options.push('--clients', String(shape.clients));
  if (shape.durationMs !== null) options.push('--duration', String(shape.durationMs / 1000));
  if (shape.faults !== null) options.push('--faults', shape.faults);
  if (shape.lake === 'none') options.push('--lake', 'none');
  if (shape.endpoint !== undefined && shape.endpoint !== null)
    options.push('--endpoint', shape.endpoint);
  if (shape.bucket !== undefined && shape.bucket !== null) options.push('--bucket', shape.bucket);
  return commandLine(invocation, options);
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
