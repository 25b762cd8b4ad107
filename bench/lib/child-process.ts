import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { RuntimeName, RuntimeReport } from './types';

/** The repository root (this file is `bench/lib/child-process.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Longest one child may run before it is stopped. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/**
 * The command that runs `bench/main.ts` under `runtime`: Node with `--expose-gc` and the tsx
 * loader (as `npm run bench` does), Bun through `npx bun` (its own `Bun.gc` needs no flag).
 */
export function childCommand(runtime: RuntimeName): { command: string; args: string[] } {
  if (runtime === 'bun') return { command: 'npx', args: ['bun', 'bench/main.ts'] };
  const node = process.versions.bun === undefined ? process.execPath : 'node';
  return { command: node, args: ['--expose-gc', '--import', 'tsx', 'bench/main.ts'] };
}

/**
 * Runs suites in a fresh process of `runtime`: `<command> bench/main.ts --child --json <tmpfile>
 * --only <ids>` (plus `--quick`) from the repository root, its output passed line by line to
 * `log`, and reads back its `RuntimeReport`. A fresh process per suite keeps one suite's type
 * feedback, compiled code and heap from shaping another's figures. Resolves to `{ error }` with
 * the reason when the runtime is missing, the child crashes or times out, or it leaves no report;
 * never rejects. (Exit code 1 means a suite failed; its report still says which and why.)
 */
export async function runChild(options: {
  runtime: RuntimeName;
  suites: readonly string[];
  quick: boolean;
  /** Receives the child's progress output, line by line. */
  log: (line: string) => void;
}): Promise<{ report: RuntimeReport } | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lakesync-bench-'));
  const jsonPath = join(dir, 'figures.json');
  const { command, args } = childCommand(options.runtime);
  args.push('--child', '--json', jsonPath, '--only', options.suites.join(','));
  if (options.quick) args.push('--quick');
  try {
    const exit = await new Promise<{ code: number | null; signal: string | null; error?: string }>(
      (resolve) => {
        const child = spawn(command, args, {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: CHILD_TIMEOUT_MS,
        });
        forwardLines(child.stdout, options.log);
        forwardLines(child.stderr, options.log);
        child.on('error', (error) => resolve({ code: null, signal: null, error: error.message }));
        child.on('exit', (code, signal) => resolve({ code, signal }));
      },
    );
    const described = `${command} ${args.slice(0, 2).join(' ')} (${options.suites.join(', ')})`;
    if (exit.error !== undefined) return { error: `could not start ${described}: ${exit.error}` };
    if (exit.code !== 0 && exit.code !== 1) {
      return { error: `${described} exited with ${exit.code ?? exit.signal}` };
    }
    return parseRuntimeReport(readFileSync(jsonPath, 'utf8'));
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return { error: `the ${options.runtime} child left no report: ${message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Passes each complete line of `stream` to `log` (and the unterminated rest at the end). */
function forwardLines(stream: Readable | null, log: (line: string) => void): void {
  if (stream === null) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log(line);
  });
  stream.on('end', () => {
    if (pending !== '') log(pending);
  });
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
