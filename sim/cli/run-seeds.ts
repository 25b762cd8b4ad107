import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { type CliContext, say } from './context';
import { replayCommand, seedCommand } from './paths';
import { Progress } from './progress';
import { runSeedTask, type SeedOutcome, type SeedSettings } from './seed-task';
import { countSeeds, type SeedRange, seedsOf } from './seeds';
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

/** The line printed for a failing seed, ending with the one command that replays it. */
export function failureLine(outcome: SeedOutcome): string {
  const what =
    outcome.crash !== null
      ? `CRASH ${outcome.crash.split('\n')[0] ?? ''}`
      : outcome.firstViolation === null
        ? 'FAIL'
        : `FAIL ${outcome.firstViolation.oracle} at ${outcome.firstViolation.atMs} ms: ${outcome.firstViolation.message}`;
  const more = outcome.violationCount > 1 ? ` (+${outcome.violationCount - 1} more)` : '';
  const unshrunk = outcome.minPlanPath !== null && outcome.shrink === null ? ' (not shrunk)' : '';
  const command =
    outcome.minPlanPath === null ? seedCommand(outcome.seed) : replayCommand(outcome.seed);
  const problems = outcome.problems.map((problem) => ` [${problem}]`).join('');
  return `seed ${outcome.seed} ${what}${more} → ${command}${unshrunk}${problems}`;
}

/**
 * Runs every seed of `range` that belongs to `--shard`, on `--jobs` worker threads (inline when
 * one job suffices), then prints one line per failing seed in seed order, a tally and the combined
 * `trace hash: <hex>`. Resolves to the exit status: 0 iff every seed passed, 1 otherwise (also when
 * a worker died).
 */
export async function runSeeds(context: CliContext, range: SeedRange): Promise<number> {
  const { options, io } = context;
  const total = countSeeds(range, options.shard);
  const where = `seeds ${range.first}..${range.last}${options.shard === null ? '' : ` (shard ${options.shard.index}/${options.shard.count})`}`;
  if (total === 0) {
    say(context, `${where}: no seed belongs to this shard`);
    return 0;
  }
  const jobs = Math.min(options.jobs ?? availableParallelism(), total);
  const settings: SeedSettings = {
    clients: options.clients,
    durationMs: options.durationMs,
    faults: options.faults,
    shrinkRunsMax: options.shrinkRunsMax,
    determinism: true,
    reportDir: context.reportDir,
    minPlanDir: context.minPlanDir,
  };
  const startedMs = io.wallNowMs();
  const hashes = new Map<number, string>();
  const failures: SeedOutcome[] = [];
  const progress = new Progress({
    sink: io.stderr,
    now: io.wallNowMs,
    enabled: !options.quiet,
    label: 'seeds',
  });
  const onOutcome = (outcome: SeedOutcome): void => {
    hashes.set(outcome.seed, outcome.traceHash);
    if (!outcome.ok) failures.push(outcome);
    progress.update(hashes.size, total, `${hashes.size}/${total}, ${failures.length} failed`);
  };
  const shrinkNext = (): boolean => failures.length < FAILING_SEEDS_SHRUNK_MAX;
  const seeds = seedsOf(range, options.shard);
  let poolError: string | null = null;
  if (jobs <= 1) {
    for (const seed of seeds) {
      onOutcome(await runSeedTask(context.engine, seed, settings, shrinkNext()));
    }
  } else {
    const pooled = await runSeedsInWorkers(seeds, { jobs, settings, onOutcome, shrinkNext });
    if (!pooled.ok) poolError = pooled.error;
  }
  progress.finish();
  for (const failure of failures.sort((a, b) => a.seed - b.seed))
    say(context, failureLine(failure));
  if (poolError !== null) say(context, `error: ${poolError}`);
  const wallSeconds = ((io.wallNowMs() - startedMs) / 1000).toFixed(1);
  const passed = hashes.size - failures.length;
  say(
    context,
    `${where}: ${hashes.size} of ${total} run, ${passed} passed, ${failures.length} failed ` +
      `(${wallSeconds} s wall, ${jobs} job${jobs === 1 ? '' : 's'})`,
  );
  say(context, `trace hash: ${combinedTraceHash(hashes)}`);
  return failures.length === 0 && poolError === null && hashes.size === total ? 0 : 1;
}
