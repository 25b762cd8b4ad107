import { type ParseArgsConfig, parseArgs as tokenise } from 'node:util';
import { Err, Ok, type Result } from '../../src/result/result';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';
import type { FaultProfileName } from '../types';
import { parseSeed, parseSeedRange, parseShard, type SeedRange, type Shard } from './seeds';

/** What the invocation asks for. `seed: null` means "draw a fresh seed from the OS". */
export type RunMode =
  | { readonly kind: 'help' }
  | { readonly kind: 'seed'; readonly seed: number | null }
  | { readonly kind: 'seeds'; readonly range: SeedRange }
  | { readonly kind: 'replay'; readonly file: string }
  /** Merge the sweep summaries (`--summary-json` files) found in these folders or files. */
  | { readonly kind: 'merge'; readonly paths: readonly string[] };

/** Where the lake goes after the checks pass: a real S3 server, or nowhere. */
export type LakeMode = 'embedded' | 'none';

/** The parsed command line. `null` means "not given": the engine's default applies. */
export interface CliOptions {
  readonly mode: RunMode;
  readonly jobs: number | null;
  readonly shard: Shard | null;
  readonly clients: number | null;
  readonly durationMs: number | null;
  readonly faults: FaultProfileName | null;
  readonly reportDir: string | null;
  /** `--summary-json FILE`: the machine-readable summary of a sweep (or of a merge). */
  readonly summaryJson: string | null;
  readonly quiet: boolean;
  readonly lake: LakeMode;
  readonly endpoint: string | null;
  readonly bucket: string | null;
  readonly shrinkRunsMax: number;
}

/** Named bounds of the command line's numbers. */
export const CLIENTS_MAX = 1_000;
export const JOBS_MAX = 256;
export const DURATION_SECONDS_MAX = 86_400;
export const SHRINK_RUNS_MAX_LIMIT = 100_000;
/** Default budget of the shrinker, in runs of the failing plan. */
export const SHRINK_RUNS_MAX_DEFAULT = 300;
/** Most folders or files one `--merge` reads. */
export const MERGE_PATHS_MAX = 10_000;

const FAULT_PROFILES: readonly FaultProfileName[] = FAULT_PROFILE_NAMES;

/** Every option, as `node:util` `parseArgs` describes them. */
const OPTIONS = {
  seed: { type: 'string' },
  seeds: { type: 'string' },
  replay: { type: 'string' },
  merge: { type: 'string' },
  jobs: { type: 'string' },
  shard: { type: 'string' },
  clients: { type: 'string' },
  duration: { type: 'string' },
  faults: { type: 'string' },
  report: { type: 'string' },
  'summary-json': { type: 'string' },
  lake: { type: 'string' },
  endpoint: { type: 'string' },
  bucket: { type: 'string' },
  'shrink-runs': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type OptionName = keyof typeof OPTIONS;

/** Flag name → value (`''` for a boolean that was given), `--` names as typed. */
type Flags = ReadonlyMap<string, string>;

/**
 * Parses the simulator's arguments (`--flag value` or `--flag=value`) with `node:util`
 * `parseArgs`, then checks them. Never throws: an unknown flag, a missing or malformed value, a
 * repeated flag or a contradictory combination gives `Err` with a message fit to print before
 * exiting with status 2. Bare words are accepted only after `--merge` (its further folders).
 */
export function parseArgs(argv: readonly string[]): Result<CliOptions, string> {
  const given = collectFlags(argv);
  if (!given.ok) return given;
  const { flags, extraPaths } = given.value;
  if (flags.has('--help')) return Ok({ ...defaults(), mode: { kind: 'help' } });
  const mode = parseMode(flags, extraPaths);
  if (!mode.ok) return mode;
  const numbers = parseNumbers(flags);
  if (!numbers.ok) return numbers;
  const faults = flags.get('--faults');
  if (faults !== undefined && !FAULT_PROFILES.includes(faults as FaultProfileName)) {
    return Err(`--faults must be one of ${FAULT_PROFILES.join('|')}, got '${faults}'`);
  }
  const lake = flags.get('--lake') ?? 'embedded';
  if (lake !== 'embedded' && lake !== 'none') {
    return Err(`--lake must be embedded or none, got '${lake}'`);
  }
  const options: CliOptions = {
    ...numbers.value,
    mode: mode.value,
    faults: (faults as FaultProfileName | undefined) ?? null,
    reportDir: nonEmpty(flags.get('--report')),
    summaryJson: nonEmpty(flags.get('--summary-json')),
    quiet: flags.has('--quiet'),
    lake,
    endpoint: nonEmpty(flags.get('--endpoint')),
    bucket: nonEmpty(flags.get('--bucket')),
  };
  const problem = contradiction(options, flags);
  return problem === null ? Ok(options) : Err(problem);
}

function defaults(): CliOptions {
  return {
    mode: { kind: 'seed', seed: null },
    jobs: null,
    shard: null,
    clients: null,
    durationMs: null,
    faults: null,
    reportDir: null,
    summaryJson: null,
    quiet: false,
    lake: 'embedded',
    endpoint: null,
    bucket: null,
    shrinkRunsMax: SHRINK_RUNS_MAX_DEFAULT,
  };
}

/**
 * Tokenises with `parseArgs` (non-strict, so that every problem gets this CLI's own one-line
 * message) and checks each token: known, given once, a value for value flags and none for
 * switches. Bare words after `--merge` are its further paths.
 */
function collectFlags(
  argv: readonly string[],
): Result<{ flags: Flags; extraPaths: string[] }, string> {
  const { tokens } = tokenise({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags = new Map<string, string>();
  const extraPaths: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return Err(`unexpected argument '--'`);
    if (token.kind === 'positional') {
      if (!flags.has('--merge'))
        return Err(`unexpected argument '${token.value}' (options start with --)`);
      extraPaths.push(token.value);
      continue;
    }
    const known = Object.hasOwn(OPTIONS, token.name);
    if (!known) return Err(`unknown option '${token.rawName}'`);
    const name = `--${token.name}`;
    if (flags.has(name)) return Err(`option ${name} given more than once`);
    if (OPTIONS[token.name as OptionName].type === 'boolean') {
      if (token.value !== undefined) return Err(`option ${name} takes no value`);
      flags.set(name, '');
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
      return Err(`option ${name} needs a value`);
    }
    flags.set(name, value);
  }
  return Ok({ flags, extraPaths });
}

function parseMode(flags: Flags, extraPaths: readonly string[]): Result<RunMode, string> {
  const chosen = ['--seed', '--seeds', '--replay', '--merge'].filter((flag) => flags.has(flag));
  if (chosen.length > 1)
    return Err(`choose one of --seed, --seeds, --replay and --merge (got ${chosen.join(', ')})`);
  const seedText = flags.get('--seed');
  if (seedText !== undefined) {
    const seed = parseSeed(seedText);
    return seed.ok ? Ok({ kind: 'seed', seed: seed.value }) : Err(`--seed: ${seed.error}`);
  }
  const rangeText = flags.get('--seeds');
  if (rangeText !== undefined) {
    const range = parseSeedRange(rangeText);
    return range.ok ? Ok({ kind: 'seeds', range: range.value }) : Err(`--seeds: ${range.error}`);
  }
  const file = flags.get('--replay');
  if (file !== undefined) {
    return file === '' ? Err('--replay needs a plan file') : Ok({ kind: 'replay', file });
  }
  const first = flags.get('--merge');
  if (first !== undefined) {
    const paths = [first, ...extraPaths];
    if (paths.some((path) => path === '')) return Err('--merge needs folders or summary files');
    if (paths.length > MERGE_PATHS_MAX)
      return Err(`--merge reads at most ${MERGE_PATHS_MAX} folders or files`);
    return Ok({ kind: 'merge', paths });
  }
  return Ok({ kind: 'seed', seed: null });
}

type NumericOptions = Pick<
  CliOptions,
  'jobs' | 'shard' | 'clients' | 'durationMs' | 'shrinkRunsMax'
>;

function parseNumbers(flags: Flags): Result<NumericOptions, string> {
  const jobs = optionalInteger(flags, '--jobs', 1, JOBS_MAX);
  if (!jobs.ok) return jobs;
  const clients = optionalInteger(flags, '--clients', 1, CLIENTS_MAX);
  if (!clients.ok) return clients;
  const shrinkRuns = optionalInteger(flags, '--shrink-runs', 0, SHRINK_RUNS_MAX_LIMIT);
  if (!shrinkRuns.ok) return shrinkRuns;
  const durationMs = parseDuration(flags.get('--duration'));
  if (!durationMs.ok) return durationMs;
  const shardText = flags.get('--shard');
  const shard = shardText === undefined ? Ok(null) : parseShard(shardText);
  if (!shard.ok) return Err(`--shard: ${shard.error}`);
  return Ok({
    jobs: jobs.value,
    clients: clients.value,
    durationMs: durationMs.value,
    shard: shard.value,
    shrinkRunsMax: shrinkRuns.value ?? SHRINK_RUNS_MAX_DEFAULT,
  });
}

function optionalInteger(
  flags: Flags,
  flag: string,
  min: number,
  max: number,
): Result<number | null, string> {
  const text = flags.get(flag);
  if (text === undefined) return Ok(null);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    return Err(`${flag} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return Ok(value);
}

function parseDuration(text: string | undefined): Result<number | null, string> {
  if (text === undefined) return Ok(null);
  const seconds = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || seconds <= 0 || seconds > DURATION_SECONDS_MAX) {
    return Err(
      `--duration is virtual seconds, more than 0 and at most ${DURATION_SECONDS_MAX}, got '${text}'`,
    );
  }
  const durationMs = Math.round(seconds * 1000);
  return durationMs < 1
    ? Err(`--duration must be at least 0.001 seconds, got '${text}'`)
    : Ok(durationMs);
}

/** Flags that only shape runs, which `--merge` does not do. */
const RUN_ONLY_FLAGS = [
  '--jobs',
  '--shard',
  '--clients',
  '--duration',
  '--faults',
  '--lake',
  '--endpoint',
  '--bucket',
  '--shrink-runs',
];

function contradiction(options: CliOptions, flags: Flags): string | null {
  const { mode } = options;
  if (mode.kind === 'replay') {
    const fixed = ['--clients', '--duration', '--faults'].filter((flag) => flags.has(flag));
    if (fixed.length > 0)
      return `${fixed.join(', ')} cannot change a replayed plan (the plan fixes them)`;
  }
  if (mode.kind === 'merge') {
    const misplaced = RUN_ONLY_FLAGS.filter((flag) => flags.has(flag));
    if (misplaced.length > 0)
      return `${misplaced.join(', ')} cannot apply to --merge (it runs nothing)`;
  }
  if (mode.kind !== 'seeds' && options.shard !== null)
    return '--shard only applies to --seeds A..B';
  if (mode.kind !== 'seeds' && options.jobs !== null) return '--jobs only applies to --seeds A..B';
  if (mode.kind !== 'seeds' && mode.kind !== 'merge' && options.summaryJson !== null)
    return '--summary-json only applies to --seeds A..B and --merge';
  if (options.lake === 'none' && (options.endpoint !== null || options.bucket !== null)) {
    return '--endpoint and --bucket need --lake embedded (the default), not --lake none';
  }
  if (options.bucket !== null && options.endpoint === null) return '--bucket needs --endpoint URL';
  if (options.endpoint !== null && !/^https?:\/\/[^\s/]+/.test(options.endpoint)) {
    return `--endpoint must be an http(s) URL, got '${options.endpoint}'`;
  }
  return null;
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}
