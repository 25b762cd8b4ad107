import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Err, Ok, type Result } from '../../src/result/result';
import { combinedTraceHash } from './run-seeds';
import {
  addCoverage,
  readSweepSummary,
  SWEEP_SUMMARY_BYTES_MAX,
  type SweepFailure,
  type SweepSummary,
} from './sweep-summary';

/** Deepest folder level `--merge` searches below each folder given (artefact downloads nest). */
export const MERGE_DEPTH_MAX = 4;
/** Most summary files one merge reads. */
export const MERGE_FILES_MAX = 100_000;

/** A failing seed of a merged sweep, with the summary file that reported it. */
export interface MergedFailure extends SweepFailure {
  readonly summaryFile: string;
}

/** One sweep configuration (profile, clients, duration) merged from one or more summaries. */
export interface MergedGroup {
  /** `faults=chaos clients=default duration=default`. */
  readonly name: string;
  readonly settings: SweepSummary['settings'];
  readonly files: readonly string[];
  /** The shards seen, e.g. `["1/4", "2/4"]`; empty when the sweeps were not sharded. */
  readonly shards: readonly string[];
  /** Shards of the same count that no summary covers, e.g. `["3/4"]`. */
  readonly missingShards: readonly string[];
  readonly seedsTotal: number;
  readonly seedsRun: number;
  readonly passed: number;
  /** Wall time summed over the summaries (machines ran in parallel). */
  readonly wallMs: number;
  /** The combined trace hash over every seed: what one unsharded sweep prints. */
  readonly traceHash: string;
  readonly failures: readonly MergedFailure[];
  readonly slowest: { readonly seed: number; readonly wallMs: number } | null;
}

/** The merge of many sweep summaries. */
export interface MergedReport {
  readonly format: 'lakesync-sim-merged';
  readonly groups: readonly MergedGroup[];
  readonly seedsTotal: number;
  readonly seedsRun: number;
  readonly failures: number;
  readonly failuresByOracle: Readonly<Record<string, number>>;
  readonly coverage: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly slowest: {
    readonly group: string;
    readonly seed: number;
    readonly wallMs: number;
  } | null;
  /** Infrastructure problems: shards missing, problems the sweeps reported. */
  readonly problems: readonly string[];
}

/**
 * The summary files under `paths`: each file given, and every `.json` file (up to
 * `SWEEP_SUMMARY_BYTES_MAX`) found up to `MERGE_DEPTH_MAX` folders below each folder given, in
 * name order. `Err` when a path does not exist.
 */
export function findSummaryFiles(paths: readonly string[]): Result<string[], string> {
  const files: string[] = [];
  const visit = (path: string, depth: number): void => {
    if (files.length >= MERGE_FILES_MAX) return;
    const stats = statSync(path);
    if (stats.isFile()) {
      if (depth === 0 || (path.endsWith('.json') && stats.size <= SWEEP_SUMMARY_BYTES_MAX))
        files.push(path);
      return;
    }
    if (!stats.isDirectory() || depth > MERGE_DEPTH_MAX) return;
    for (const name of readdirSync(path).sort()) visit(join(path, name), depth + 1);
  };
  for (const path of paths) {
    try {
      visit(path, 0);
    } catch (caught) {
      return Err(
        `cannot read ${path}: ${caught instanceof Error ? caught.message : String(caught)}`,
      );
    }
  }
  return Ok(files);
}

/** Reads every summary among `files` (other JSON is skipped). `Err` on a broken summary. */
export function readSummaries(
  files: readonly string[],
): Result<{ file: string; summary: SweepSummary }[], string> {
  const found: { file: string; summary: SweepSummary }[] = [];
  for (const file of files) {
    const read = readSweepSummary(file);
    if (!read.ok) return read;
    if (read.value !== null) found.push({ file, summary: read.value });
  }
  return Ok(found);
}

function groupName(settings: SweepSummary['settings']): string {
  const part = (value: number | string | null, unit = ''): string =>
    value === null ? 'default' : `${value}${unit}`;
  return `faults=${part(settings.faults)} clients=${part(settings.clients)} duration=${part(settings.durationMs === null ? null : settings.durationMs / 1000, 's')}`;
}

/**
 * Merges summaries: one group per configuration (profile, clients, duration), its seeds the union
 * of its summaries' seeds, its trace hash the combined hash of that union (equal to an unsharded
 * sweep's), its missing shards named. `Err` (bad input) when a seed appears twice in one group or
 * no summary is given.
 */
export function mergeSummaries(
  found: readonly { file: string; summary: SweepSummary }[],
): Result<MergedReport, string> {
  if (found.length === 0) return Err('no sweep summaries found (write them with --summary-json)');
  const byGroup = new Map<string, { file: string; summary: SweepSummary }[]>();
  for (const entry of found) {
    const name = groupName(entry.summary.settings);
    byGroup.set(name, [...(byGroup.get(name) ?? []), entry]);
  }
  const groups: MergedGroup[] = [];
  const coverage: Record<string, Record<string, number>> = {};
  const failuresByOracle: Record<string, number> = {};
  const problems: string[] = [];
  for (const [name, entries] of [...byGroup].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const merged = mergeGroup(name, entries);
    if (!merged.ok) return merged;
    groups.push(merged.value);
    for (const { file, summary } of entries) {
      addCoverage(coverage, summary.coverage);
      for (const [oracle, count] of Object.entries(summary.failuresByOracle ?? {}))
        failuresByOracle[oracle] = (failuresByOracle[oracle] ?? 0) + count;
      for (const problem of summary.problems) problems.push(`${file}: ${problem}`);
    }
    if (merged.value.missingShards.length > 0)
      problems.push(`${name}: shards ${merged.value.missingShards.join(', ')} missing`);
  }
  let slowest: MergedReport['slowest'] = null;
  for (const group of groups) {
    if (group.slowest !== null && (slowest === null || group.slowest.wallMs > slowest.wallMs))
      slowest = { group: group.name, ...group.slowest };
  }
  const sum = (pick: (group: MergedGroup) => number): number =>
    groups.reduce((total, group) => total + pick(group), 0);
  return Ok({
    format: 'lakesync-sim-merged',
    groups,
    seedsTotal: sum((group) => group.seedsTotal),
    seedsRun: sum((group) => group.seedsRun),
    failures: sum((group) => group.failures.length),
    failuresByOracle,
    coverage,
    slowest,
    problems,
  });
}

function mergeGroup(
  name: string,
  entries: readonly { file: string; summary: SweepSummary }[],
): Result<MergedGroup, string> {
  const hashes = new Map<number, string>();
  const owner = new Map<number, string>();
  const failures: MergedFailure[] = [];
  const shards = new Set<string>();
  const shardCounts = new Set<number>();
  let slowest: MergedGroup['slowest'] = null;
  for (const { file, summary } of entries) {
    for (const [seedText, hash] of Object.entries(summary.traceHashes)) {
      const seed = Number(seedText);
      const previous = owner.get(seed);
      if (previous !== undefined)
        return Err(`seed ${seed} of ${name} appears in both ${previous} and ${file}`);
      owner.set(seed, file);
      hashes.set(seed, hash);
    }
    failures.push(...summary.failures.map((failure) => ({ ...failure, summaryFile: file })));
    if (summary.shard !== null) {
      shards.add(`${summary.shard.index}/${summary.shard.count}`);
      shardCounts.add(summary.shard.count);
    }
    if (summary.slowest !== null && (slowest === null || summary.slowest.wallMs > slowest.wallMs))
      slowest = summary.slowest;
  }
  const missingShards: string[] = [];
  for (const count of [...shardCounts].sort((a, b) => a - b)) {
    for (let index = 1; index <= count; index++) {
      if (!shards.has(`${index}/${count}`)) missingShards.push(`${index}/${count}`);
    }
  }
  const sum = (pick: (summary: SweepSummary) => number): number =>
    entries.reduce((total, entry) => total + pick(entry.summary), 0);
  return Ok({
    name,
    settings: entries[0]?.summary.settings ?? { clients: null, durationMs: null, faults: null },
    files: entries.map((entry) => entry.file),
    shards: [...shards].sort(byShard),
    missingShards,
    seedsTotal: sum((summary) => summary.seedsTotal),
    seedsRun: hashes.size,
    passed: hashes.size - failures.length,
    wallMs: sum((summary) => summary.wallMs),
    traceHash: combinedTraceHash(hashes),
    failures: failures.sort((a, b) => a.seed - b.seed),
    slowest,
  });
}

function byShard(a: string, b: string): number {
  const [ai = 0, an = 0] = a.split('/').map(Number);
  const [bi = 0, bn = 0] = b.split('/').map(Number);
  return an - bn || ai - bi;
}
