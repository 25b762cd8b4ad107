import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { type CliContext, invocationOf, say } from './context';
import { runStatus } from './exit-status';
import { Progress } from './progress';
import { runSeedTask, type SeedOutcome, type SeedSettings } from './seed-task';
import { countSeeds, type SeedRange, seedsOf } from './seeds';
import { summariseSweep, writeSweepSummary } from './sweep-summary';
import { briefOf, sweepVerdict } from './verdict';
import { runSeedsInWorkers } from './worker-pool';

/**
 * Failing seeds of one `--seeds` run that get shrunk; later failures keep their full plan, so that
 * a regression failing every seed does not cost `shrinkRunsMax` runs per seed. (Seeds already
 * handed to workers when the limit is reached may still be shrunk: at most `jobs - 1` more.)
 */
export const FAILING_SEEDS_SHRUNK_MAX = 10;

/**
 * The combined trace hash of many seeds: SHA-256 over `<seed> <traceHash>` lines in seed order,
 * so it depends only on which seeds ran and what each produced, never on completion order or
 * `--jobs`. Compared between Bun and Node by CI like a single run's hash.
 */
export function combinedTraceHash(hashes: ReadonlyMap<number, string>): string {
  const hash = createHash('sha256');
  for (const seed of [...hashes.keys()].sort((a, b) => a - b))
    hash.update(`${seed} ${hashes.get(seed)}\n`);
  return hash.digest('hex');
}

/** The line printed for a failing seed, ending with the one command that reproduces it. */
export function failureLine(outcome: SeedOutcome): string {
  const what =
    outcome.crash !== null
      ? `CRASH ${outcome.crash.split('\n')[0] ?? ''}`
      : outcome.firstViolation === null
        ? 'FAIL'
        : `FAIL ${outcome.firstViolation.oracle} at ${outcome.firstViolation.atMs} ms: ${outcome.firstViolation.message}`;
  const more = outcome.violationCount > 1 ? ` (+${outcome.violationCount - 1} more)` : '';
  const unshrunk = outcome.minPlanPath !== null && outcome.shrink === null ? ' (not shrunk)' : '';
  const command = outcome.command === null ? '' : ` → ${outcome.command}`;
  const problems = outcome.problems.map((problem) => ` [${problem}]`).join('');
  return `seed ${outcome.seed} ${what}${more}${command}${unshrunk}${problems}`;
}

/** `bun 1.4.5` or `node v20.20.2`: the runtime a sweep ran on, for its summary. */
export function runtimeName(): string {
  const bun = process.versions.bun;
  return bun === undefined ? `node ${process.version}` : `bun ${bun}`;
}

/**
 * Runs every seed of `range` that belongs to `--shard`, on `--jobs` worker threads (inline when
 * one job suffices), then prints one line per failing seed in seed order, a tally, the combined
 * `trace hash: <hex>` and the verdict line; with `--summary-json FILE` it also writes the sweep's
 * summary for `--merge`. Resolves to the exit status: 0 iff every seed passed; 1 when one failed;
 * 3 when a worker died or a report, plan or summary file could not be written.
 */
export async function runSeeds(context: CliContext, range: SeedRange): Promise<number> {
  const { options, io } = context;
  const total = countSeeds(range, options.shard);
  const where = `seeds ${range.first}..${range.last}${options.shard === null ? '' : ` (shard ${options.shard.index}/${options.shard.count})`}`;
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), total));
  const settings: SeedSettings = {
    clients: options.clients,
    durationMs: options.durationMs,
    faults: options.faults,
    shrinkRunsMax: options.shrinkRunsMax,
    determinism: true,
    reportDir: context.reportDir,
    minPlanDir: context.minPlanDir,
    invocation: invocationOf(context),
    cwd: io.cwd,
  };
  const startedMs = io.wallNowMs();
  const outcomes: SeedOutcome[] = [];
  const failures: SeedOutcome[] = [];
  const progress = new Progress({
    sink: io.stderr,
    now: io.wallNowMs,
    enabled: !options.quiet,
    label: 'seeds',
  });
  const onOutcome = (outcome: SeedOutcome): void => {
    outcomes.push(outcome);
    if (!outcome.ok) failures.push(outcome);
    progress.update(
      outcomes.length,
      total,
      `${outcomes.length}/${total}, ${failures.length} failed`,
    );
  };
  const shrinkNext = (): boolean => failures.length < FAILING_SEEDS_SHRUNK_MAX;
  const seeds = seedsOf(range, options.shard);
  const problems: string[] = [];
  if (total === 0) {
    say(context, `${where}: no seed belongs to this shard`);
  } else if (jobs <= 1) {
    for (const seed of seeds) {
      onOutcome(await runSeedTask(context.engine, seed, settings, shrinkNext()));
    }
  } else {
    const pooled = await runSeedsInWorkers(seeds, { jobs, settings, onOutcome, shrinkNext });
    if (!pooled.ok) {
      say(context, `error: ${pooled.error}`);
      problems.push('a worker thread died');
    }
  }
  progress.finish();
  failures.sort((a, b) => a.seed - b.seed);
  for (const failure of failures) say(context, failureLine(failure));
  if (failures.some((failure) => failure.problems.length > 0))
    problems.push('some reports or plans were not written');
  const wallMs = io.wallNowMs() - startedMs;
  const hashes = new Map(outcomes.map((outcome) => [outcome.seed, outcome.traceHash]));
  if (total > 0) {
    say(
      context,
      `${where}: ${outcomes.length} of ${total} run, ${outcomes.length - failures.length} passed, ${failures.length} failed ` +
        `(${(wallMs / 1000).toFixed(1)} s wall, ${jobs} job${jobs === 1 ? '' : 's'})`,
    );
    say(context, `trace hash: ${combinedTraceHash(hashes)}`);
  }
  if (options.summaryJson !== null) {
    const summary = summariseSweep({
      range,
      shard: options.shard,
      settings: {
        clients: options.clients,
        durationMs: options.durationMs,
        faults: options.faults,
      },
      runtime: runtimeName(),
      seedsTotal: total,
      outcomes,
      wallMs,
      problems,
    });
    const path = resolve(io.cwd, options.summaryJson);
    const written = writeSweepSummary(path, summary);
    if (!written.ok) {
      say(context, `summary not written: ${written.error}`);
      problems.push('the summary was not written');
    } else if (!options.quiet) say(context, `summary: ${path}`);
  }
  if (outcomes.length < total && problems.length === 0) problems.push('not every seed ran');
  say(
    context,
    sweepVerdict({
      label: where,
      total,
      run: outcomes.length,
      failures: failures.map(briefOf),
      problems,
    }),
  );
  return runStatus(failures.length > 0, problems.length > 0);
}
