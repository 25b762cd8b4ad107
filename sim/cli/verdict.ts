import { LAKE_ORACLE, oracleTally } from '../report/oracle-catalogue';
import { groupDigits } from '../report/summary-rows';
import type { RunOutcome } from './check-plan';
import type { SeedOutcome } from './seed-task';

/** What the verdict of one run needs beyond its outcome. */
export interface SingleVerdictInput {
  /** `seed 42`, or `replay of reports/42-min.json (seed 42)`. */
  readonly label: string;
  readonly outcome: RunOutcome;
  /** Whether the lake round trip ran (it can only on a passing run with `--lake embedded`). */
  readonly lakeChecked: boolean;
  /** The command that reproduces a failure; `null` on a pass. */
  readonly command: string | null;
  /** Infrastructure problems met (exit 3), each a short phrase, e.g. `the report was not written`. */
  readonly problems: readonly string[];
}

/**
 * The last line a single run prints: `seed 42: every oracle holds (8 of 8)`, or the first
 * violation and the command that replays it, or what kept the run from a complete verdict.
 */
export function singleVerdict(input: SingleVerdictInput): string {
  const { label, outcome, command, problems } = input;
  const then = command === null ? '' : ` → ${command}`;
  const incomplete = problems.length === 0 ? '' : `; INCOMPLETE: ${problems.join('; ')}`;
  if (outcome.kind === 'crashed') {
    const first = outcome.message.split('\n')[0] ?? '';
    return `${label}: CRASH, the engine threw ${first}${incomplete}${then}`;
  }
  const { result } = outcome;
  const tally = oracleTally(result, input.lakeChecked);
  const first = result.violations[0];
  if (first !== undefined) {
    const more = result.violations.length > 1 ? ` (+${result.violations.length - 1} more)` : '';
    return (
      `${label}: FAIL ${first.oracle} at ${groupDigits(first.atMs)} ms${more}, ` +
      `${tally.failed.length} of ${tally.checked} oracles broken${incomplete}${then}`
    );
  }
  const lakeNote = input.lakeChecked ? '' : `, ${LAKE_ORACLE} not run`;
  if (problems.length > 0) {
    return `${label}: every oracle checked holds (${tally.checked} of ${tally.checked}${lakeNote})${incomplete}`;
  }
  return `${label}: every oracle holds (${tally.checked} of ${tally.checked}${lakeNote})`;
}

/** One failing seed, as a sweep verdict names it. */
export interface SweepFailureBrief {
  readonly seed: number;
  /** The first broken oracle, or `CRASH`. */
  readonly what: string;
  readonly command: string | null;
}

/** How a sweep verdict names a failing seed's outcome. */
export function briefOf(
  outcome: Pick<SeedOutcome, 'seed' | 'firstViolation' | 'crash' | 'command'>,
): SweepFailureBrief {
  const what = outcome.crash !== null ? 'CRASH' : (outcome.firstViolation?.oracle ?? 'FAIL');
  return { seed: outcome.seed, what, command: outcome.command };
}

/** What the verdict of a sweep needs. */
export interface SweepVerdictInput {
  /** `seeds 1..200` or `seeds 1..200 (shard 2/4)` or `merged 4 summaries`. */
  readonly label: string;
  readonly total: number;
  readonly run: number;
  /** Failing seeds, in seed order: the seed, what failed (an oracle or `CRASH`), its command. */
  readonly failures: readonly SweepFailureBrief[];
  readonly problems: readonly string[];
}

/**
 * The last line a sweep (or a merge) prints: every oracle held on every seed, or how many seeds
 * failed and the command that replays the first of them; infrastructure problems appended.
 */
export function sweepVerdict(input: SweepVerdictInput): string {
  const { label, total, run, failures, problems } = input;
  const incomplete = problems.length === 0 ? '' : `; INCOMPLETE: ${problems.join('; ')}`;
  const notRun =
    run < total ? ` (${groupDigits(total - run)} of ${groupDigits(total)} not run)` : '';
  const first = failures[0];
  if (total === 0 && problems.length === 0) return `${label}: no seed to run`;
  if (first === undefined) {
    return `${label}: every oracle holds on all ${groupDigits(run)} seeds${notRun}${incomplete}`;
  }
  const what = first.what;
  const then = first.command === null ? '' : ` → ${first.command}`;
  return (
    `${label}: ${groupDigits(failures.length)} of ${groupDigits(run)} seeds FAIL${notRun}, ` +
    `first seed ${first.seed} (${what})${incomplete}${then}`
  );
}
