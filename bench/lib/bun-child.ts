import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeReport } from './types';

/** The repository root (this file is `bench/lib/bun-child.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Longest the Bun child may run before it is stopped. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs the suites under Bun: `npx bun bench/main.ts --child --json <tmpfile>` (plus `--quick` and
 * `--only` when given) from the repository root, with its progress on this process's stderr, and
 * reads back its `RuntimeReport`. Resolves to `{ error }` with the reason when Bun is missing, the
 * child fails or times out, or its output is not a report; never rejects.
 */
export async function runBunChild(options: {
  quick: boolean;
  only: readonly string[] | null;
}): Promise<{ report: RuntimeReport } | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lakesync-bench-'));
  const jsonPath = join(dir, 'bun.json');
  const args = ['bun', 'bench/main.ts', '--child', '--json', jsonPath];
  if (options.quick) args.push('--quick');
  if (options.only !== null) args.push('--only', options.only.join(','));
  try {
    const exit = await new Promise<{ code: number | null; signal: string | null; error?: string }>(
      (resolve) => {
        const child = spawn('npx', args, {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'inherit', 'inherit'],
          timeout: CHILD_TIMEOUT_MS,
        });
        child.on('error', (error) => resolve({ code: null, signal: null, error: error.message }));
        child.on('exit', (code, signal) => resolve({ code, signal }));
      },
    );
    if (exit.error !== undefined) return { error: `could not start npx bun: ${exit.error}` };
    if (exit.code !== 0 && exit.code !== 1) {
      return { error: `the Bun child exited with ${exit.code ?? exit.signal}` };
    }
    return parseRuntimeReport(readFileSync(jsonPath, 'utf8'));
  } catch (caught) {
    return {
      error: `the Bun child left no report: ${caught instanceof Error ? caught.message : String(caught)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a `RuntimeReport` written by `renderJson`. JSON carries `NaN` as `null`, and a runtime
 * report has no other nulls, so every `null` becomes `NaN` again.
 */
export function parseRuntimeReport(text: string): { report: RuntimeReport } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => (value === null ? Number.NaN : value));
  } catch (caught) {
    return {
      error: `the child's report is not JSON: ${caught instanceof Error ? caught.message : String(caught)}`,
    };
  }
  const candidate = parsed as Partial<RuntimeReport> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    (candidate.runtime !== 'bun' && candidate.runtime !== 'node') ||
    !Array.isArray(candidate.rows) ||
    !Array.isArray(candidate.curves) ||
    !Array.isArray(candidate.failures)
  ) {
    return { error: "the child's report does not look like a runtime report" };
  }
  return { report: candidate as RuntimeReport };
}
