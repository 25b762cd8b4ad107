import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Err, Ok, type Result } from '../../src/result/result';
import type { SeedOutcome } from './seed-task';
import type { SeedRange, Shard } from './seeds';

/** The `format` field every sweep summary carries, so `--merge` recognises its files. */
export const SWEEP_SUMMARY_FORMAT = 'lakesync-sim-sweep';
/** Version of the summary's shape. */
export const SWEEP_SUMMARY_VERSION = 1;
/** Largest summary file `--merge` reads, in bytes. */
export const SWEEP_SUMMARY_BYTES_MAX = 64 * 1024 * 1024;

/** One failing seed of a sweep, as the summary keeps it. */
export interface SweepFailure {
  readonly seed: number;
  /** The first broken oracle, or `crash`. */
  readonly oracle: string;
  readonly atMs: number | null;
  readonly message: string;
  readonly violationCount: number;
  /** The one command that reproduces it, as printed on the machine that ran it. */
  readonly command: string | null;
  /** Where that machine wrote the minimal plan (uploaded beside the summary in a seed farm). */
  readonly minPlanPath: string | null;
}

/**
 * The machine-readable summary of one sweep (`--seeds A..B [--shard i/n] --summary-json FILE`),
 * the unit `--merge` combines: which seeds ran under which settings, each seed's trace hash (so the
 * merged combined hash equals the one an unsharded run prints), the failures, fault coverage
 * summed over the seeds, and the slowest seed. Plain JSON; keys in a fixed order.
 */
export interface SweepSummary {
  readonly format: typeof SWEEP_SUMMARY_FORMAT;
  readonly version: typeof SWEEP_SUMMARY_VERSION;
  readonly range: SeedRange;
  readonly shard: Shard | null;
  readonly settings: {
    readonly clients: number | null;
    readonly durationMs: number | null;
    readonly faults: string | null;
  };
  /** `bun 1.4.5` or `node v20.20.2`. */
  readonly runtime: string;
  /** Seeds this sweep should have run (its shard of the range). */
  readonly seedsTotal: number;
  readonly seedsRun: number;
  readonly passed: number;
  readonly wallMs: number;
  /** Seed → trace hash (empty string after a crash). */
  readonly traceHashes: Readonly<Record<string, string>>;
  readonly failures: readonly SweepFailure[];
  /** Violations per first-broken oracle, over the failing seeds (names as the engine gives them). */
  readonly failuresByOracle: Readonly<Record<string, number>>;
  /** Fault kind → {fault, heal} summed over the seeds (entries as the engine gives them). */
  readonly coverage: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly slowest: { readonly seed: number; readonly wallMs: number } | null;
  /** Infrastructure problems met (a worker died, files not written). */
  readonly problems: readonly string[];
}

/** What a sweep gathered, to summarise. */
export interface SweepRecord {
  readonly range: SeedRange;
  readonly shard: Shard | null;
  readonly settings: SweepSummary['settings'];
  readonly runtime: string;
  readonly seedsTotal: number;
  readonly outcomes: readonly SeedOutcome[];
  readonly wallMs: number;
  readonly problems: readonly string[];
}

/** Builds the summary of a sweep from its seeds' outcomes (any completion order). */
export function summariseSweep(record: SweepRecord): SweepSummary {
  const outcomes = [...record.outcomes].sort((a, b) => a.seed - b.seed);
  const traceHashes: Record<string, string> = {};
  const failures: SweepFailure[] = [];
  const failuresByOracle: Record<string, number> = {};
  const coverage: Record<string, Record<string, number>> = {};
  let slowest: SweepSummary['slowest'] = null;
  for (const outcome of outcomes) {
    traceHashes[String(outcome.seed)] = outcome.traceHash;
    addCoverage(coverage, outcome.coverage ?? {});
    const wallMs = outcome.stats?.wallMs ?? 0;
    if (slowest === null || wallMs > slowest.wallMs) slowest = { seed: outcome.seed, wallMs };
    if (outcome.ok) continue;
    const oracle = outcome.crash !== null ? 'crash' : (outcome.firstViolation?.oracle ?? 'crash');
    failuresByOracle[oracle] = (failuresByOracle[oracle] ?? 0) + 1;
    failures.push({
      seed: outcome.seed,
      oracle,
      atMs: outcome.firstViolation?.atMs ?? null,
      message: outcome.crash?.split('\n')[0] ?? outcome.firstViolation?.message ?? '',
      violationCount: outcome.violationCount,
      command: outcome.command,
      minPlanPath: outcome.minPlanPath,
    });
  }
  return {
    format: SWEEP_SUMMARY_FORMAT,
    version: SWEEP_SUMMARY_VERSION,
    range: record.range,
    shard: record.shard,
    settings: record.settings,
    runtime: record.runtime,
    seedsTotal: record.seedsTotal,
    seedsRun: outcomes.length,
    passed: outcomes.length - failures.length,
    wallMs: Math.round(record.wallMs),
    traceHashes,
    failures,
    failuresByOracle,
    coverage,
    slowest,
    problems: record.problems,
  };
}

/** Adds `counts` (kind → {phase → n}) into `into`, whatever the phases are called. */
export function addCoverage(
  into: Record<string, Record<string, number>>,
  counts: Readonly<Record<string, Readonly<Record<string, number>>>>,
): void {
  for (const [kind, phases] of Object.entries(counts)) {
    const entry = into[kind] ?? {};
    into[kind] = entry;
    for (const [phase, count] of Object.entries(phases)) {
      if (typeof count === 'number') entry[phase] = (entry[phase] ?? 0) + count;
    }
  }
}

/** Writes `summary` as JSON to `path`, creating the folder. Never throws. */
export function writeSweepSummary(path: string, summary: SweepSummary): Result<void, string> {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
    return Ok(undefined);
  } catch (caught) {
    return Err(
      `cannot write the summary to ${path}: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
}

/**
 * Reads a summary file. `Ok(null)` for JSON that is not a sweep summary (other files in an
 * artefact folder, such as HTML reports' JSON); `Err` for an unreadable file or a summary whose
 * fields are wrong. Never throws.
 */
export function readSweepSummary(path: string): Result<SweepSummary | null, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (caught) {
    return Err(`cannot read ${path}: ${caught instanceof Error ? caught.message : String(caught)}`);
  }
  if (text.length > SWEEP_SUMMARY_BYTES_MAX)
    return Err(`${path} is larger than ${SWEEP_SUMMARY_BYTES_MAX} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return Ok(null);
  }
  if (!isRecord(value) || value.format !== SWEEP_SUMMARY_FORMAT) return Ok(null);
  const problem = summaryProblem(value);
  return problem === null ? Ok(value as unknown as SweepSummary) : Err(`${path}: ${problem}`);
}

function summaryProblem(value: Record<string, unknown>): string | null {
  if (value.version !== SWEEP_SUMMARY_VERSION)
    return `unsupported summary version ${JSON.stringify(value.version)}`;
  const range = value.range;
  if (!isRecord(range) || !isCount(range.first) || !isCount(range.last))
    return 'range must be {first, last}';
  const shard = value.shard;
  if (shard !== null && (!isRecord(shard) || !isCount(shard.index) || !isCount(shard.count)))
    return 'shard must be null or {index, count}';
  if (!isRecord(value.settings)) return 'settings missing';
  for (const key of ['seedsTotal', 'seedsRun', 'passed', 'wallMs']) {
    if (!isCount(value[key])) return `${key} must be a non-negative integer`;
  }
  const hashes = value.traceHashes;
  if (
    !isRecord(hashes) ||
    !Object.entries(hashes).every(([k, v]) => isSeedKey(k) && typeof v === 'string')
  )
    return 'traceHashes must map seeds to hashes';
  if (
    !Array.isArray(value.failures) ||
    !value.failures.every((f) => isRecord(f) && isCount(f.seed))
  )
    return 'failures must be a list of {seed, …}';
  if (!isRecord(value.coverage)) return 'coverage missing';
  if (!Array.isArray(value.problems)) return 'problems must be a list';
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isSeedKey(key: string): boolean {
  return /^[0-9]+$/.test(key) && Number.isSafeInteger(Number(key));
}
