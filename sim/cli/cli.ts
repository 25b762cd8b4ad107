import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Plan } from '../types';
import { type CliOptions, parseArgs } from './args';
import { type CliContext, type CliIo, invocationOf } from './context';
import { loadEngine, type SimEngine } from './engine';
import { EXIT_OK, EXIT_USAGE, EXIT_VIOLATION } from './exit-status';
import { usage } from './help';
import { commandLine, DEFAULT_INVOCATION, type Invocation } from './invocation';
import {
  DEFAULT_REPORT_DIR,
  MIN_PLAN_DIR,
  REPO_ROOT,
  resolveReportDir,
  seedCommand,
} from './paths';
import { readPlanFile } from './plan-file';
import { runMerge } from './run-merge';
import { runSeeds } from './run-seeds';
import { runSingle } from './run-single';
import { describeThrown, planForSeed } from './seed-task';

export { EXIT_INFRASTRUCTURE, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION } from './exit-status';

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
 * The simulator's command line, from arguments to exit status (`exit-status.ts`): 0 when every
 * oracle holds, 1 on a violation or an engine crash, 2 on bad usage, an unreadable plan or summary
 * file or a missing engine, 3 when the lake, a report, plan or summary file or a worker failed
 * the run. Never throws for expected failures; the entry point maps a thrown bug to 3.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = DEFAULT_DEPENDENCIES,
): Promise<number> {
  const invocation = io.invocation ?? DEFAULT_INVOCATION;
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`error: ${parsed.error}\nrun ${invocation.prefix} --help for usage\n`);
    return EXIT_USAGE;
  }
  const options = parsed.value;
  if (options.mode.kind === 'help') {
    io.stdout.write(usage(invocation));
    return EXIT_OK;
  }
  const reportDir = resolveReportDir(options.reportDir, io.cwd, dependencies.defaultReportDir);
  if (options.mode.kind === 'merge') {
    const context = { io, options, reportDir, minPlanDir: dependencies.minPlanDir };
    return runMerge(context, options.mode.paths);
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
    reportDir,
    minPlanDir: dependencies.minPlanDir,
  };
  return dispatch(context, options);
}

async function dispatch(context: CliContext, options: CliOptions): Promise<number> {
  const { io } = context;
  const { mode } = options;
  const invocation = invocationOf(context);
  switch (mode.kind) {
    case 'help':
    case 'merge':
      return EXIT_USAGE;
    case 'seeds':
      return runSeeds(context, mode.range);
    case 'replay': {
      const plan = readPlanFile(locatePlanFile(mode.file, io.cwd));
      if (!plan.ok) {
        io.stderr.write(`error: ${plan.error}\n`);
        return EXIT_USAGE;
      }
      const { seed, events } = plan.value;
      return runSingle(context, {
        plan: plan.value,
        header: `replaying ${mode.file} (seed ${seed}, ${events.length} events)`,
        label: `replay of ${mode.file} (seed ${seed})`,
        rerunCommand: replayRerunCommand(mode.file, options, invocation),
      });
    }
    case 'seed': {
      const seed = mode.seed ?? io.freshSeed();
      const rerun = rerunCommand(seed, options, invocation);
      const header =
        mode.seed === null ? `seed: ${seed} (fresh; rerun with: ${rerun})` : `seed: ${seed}`;
      let plan: Plan;
      try {
        plan = planForSeed(context.engine, seed, options);
      } catch (caught) {
        io.stdout.write(`${header}\nCRASH: generatePlan threw: ${describeThrown(caught)}\n`);
        io.stdout.write(`seed ${seed}: CRASH, generatePlan threw → ${rerun}\n`);
        return EXIT_VIOLATION;
      }
      return runSingle(context, { plan, header, label: `seed ${seed}`, rerunCommand: rerun });
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

/** `<how it was started> --seed N` plus the options that shaped the plan and its checks. */
export function rerunCommand(
  seed: number,
  options: CliOptions,
  invocation: Invocation = DEFAULT_INVOCATION,
): string {
  return seedCommand(seed, options, invocation);
}

function replayRerunCommand(file: string, options: CliOptions, invocation: Invocation): string {
  const lake = options.lake === 'none' ? ['--lake', 'none'] : [];
  const endpoint = options.endpoint === null ? [] : ['--endpoint', options.endpoint];
  const bucket = options.bucket === null ? [] : ['--bucket', options.bucket];
  return commandLine(invocation, ['--replay', file, ...lake, ...endpoint, ...bucket]);
}
