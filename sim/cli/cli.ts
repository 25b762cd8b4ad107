import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Plan } from '../types';
import { type CliOptions, parseArgs } from './args';
import type { CliContext, CliIo } from './context';
import { loadEngine, type SimEngine } from './engine';
import { USAGE } from './help';
import { DEFAULT_REPORT_DIR, MIN_PLAN_DIR, REPO_ROOT, resolveReportDir } from './paths';
import { readPlanFile } from './plan-file';
import { runSeeds } from './run-seeds';
import { runSingle } from './run-single';
import { describeThrown, planForSeed } from './seed-task';

/** Exit statuses of the simulator. */
export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;

/** What `runCli` needs beyond its I/O; tests pass a fake engine and temporary folders. */
export interface CliDependencies {
  readonly loadEngine: () => Promise<{ ok: true; value: SimEngine } | { ok: false; error: string }>;
  /** Folder of `<seed>-min.json`. */
  readonly minPlanDir: string;
  /** Report folder when `--report` is not given. */
  readonly defaultReportDir: string;
}

const DEFAULT_DEPENDENCIES: CliDependencies = {
  loadEngine: () => loadEngine(),
  minPlanDir: MIN_PLAN_DIR,
  defaultReportDir: DEFAULT_REPORT_DIR,
};

/**
 * The simulator's command line, from arguments to exit status: 0 when every oracle holds, 1 on a
 * violation (or a crash, or a failed lake round trip), 2 on bad usage, an unreadable plan file or
 * a missing engine. Never throws for expected failures; the entry point maps a thrown bug to 1.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = DEFAULT_DEPENDENCIES,
): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`error: ${parsed.error}\nrun with --help for usage\n`);
    return EXIT_USAGE;
  }
  const options = parsed.value;
  if (options.mode.kind === 'help') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const engine = await dependencies.loadEngine();
  if (!engine.ok) {
    io.stderr.write(`error: ${engine.error}\n`);
    return EXIT_USAGE;
  }
  const context: CliContext = {
    io,
    engine: engine.value,
    options,
    reportDir: resolveReportDir(options.reportDir, io.cwd, dependencies.defaultReportDir),
    minPlanDir: dependencies.minPlanDir,
  };
  return dispatch(context, options);
}

async function dispatch(context: CliContext, options: CliOptions): Promise<number> {
  const { io } = context;
  const { mode } = options;
  switch (mode.kind) {
    case 'help':
      return EXIT_OK;
    case 'seeds':
      return runSeeds(context, mode.range);
    case 'replay': {
      const plan = readPlanFile(locatePlanFile(mode.file, io.cwd));
      if (!plan.ok) {
        io.stderr.write(`error: ${plan.error}\n`);
        return EXIT_USAGE;
      }
      const header = `replaying ${mode.file} (seed ${plan.value.seed}, ${plan.value.events.length} events)`;
      return runSingle(context, {
        plan: plan.value,
        header,
        rerunCommand: `bun run sim --replay ${mode.file}`,
      });
    }
    case 'seed': {
      const seed = mode.seed ?? io.freshSeed();
      const header =
        mode.seed === null ? `seed: ${seed} (fresh; rerun with --seed ${seed})` : `seed: ${seed}`;
      let plan: Plan;
      try {
        plan = planForSeed(context.engine, seed, options);
      } catch (caught) {
        io.stdout.write(`${header}\nCRASH: generatePlan threw: ${describeThrown(caught)}\n`);
        return EXIT_VIOLATION;
      }
      return runSingle(context, { plan, header, rerunCommand: rerunCommand(seed, options) });
    }
  }
}

/** A plan path as given, resolved against the current directory, else the repository root. */
export function locatePlanFile(file: string, cwd: string): string {
  if (isAbsolute(file)) return file;
  const fromCwd = resolve(cwd, file);
  if (existsSync(fromCwd)) return fromCwd;
  const fromRoot = join(REPO_ROOT, file);
  return existsSync(fromRoot) ? fromRoot : fromCwd;
}

/** `bun run sim --seed N` plus the options that shaped the plan. */
export function rerunCommand(seed: number, options: CliOptions): string {
  const parts = ['bun run sim', `--seed ${seed}`];
  if (options.clients !== null) parts.push(`--clients ${options.clients}`);
  if (options.durationMs !== null) parts.push(`--duration ${options.durationMs / 1000}`);
  if (options.faults !== null) parts.push(`--faults ${options.faults}`);
  return parts.join(' ');
}
