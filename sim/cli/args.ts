import { Err, Ok, type Result } from '../../src/result/result';
import type { FaultProfileName } from '../types';
import { parseSeed, parseSeedRange, parseShard, type SeedRange, type Shard } from './seeds';

/** What the invocation asks for. `seed: null` means "draw a fresh seed from the OS". */
export type RunMode =
  | { readonly kind: 'help' }
  | { readonly kind: 'seed'; readonly seed: number | null }
  | { readonly kind: 'seeds'; readonly range: SeedRange }
  | { readonly kind: 'replay'; readonly file: string };

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

const FAULT_PROFILES: readonly FaultProfileName[] = ['none', 'calm', 'default', 'swarm', 'chaos'];
const VALUE_FLAGS = new Set([
  '--seed',
  '--seeds',
  '--jobs',
  '--shard',
  '--clients',
  '--duration',
  '--faults',
  '--replay',
  '--report',
  '--lake',
  '--endpoint',
  '--bucket',
  '--shrink-runs',
]);
const BOOLEAN_FLAGS = new Set(['--quiet', '--help', '-h']);

/**
 * Parses the simulator's arguments (`--flag value` or `--flag=value`). Never throws: an unknown
 * flag, a missing or malformed value, a repeated flag or a contradictory combination gives `Err`
 * with a message fit to print before exiting with status 2.
 */
export function parseArgs(argv: readonly string[]): Result<CliOptions, string> {
  const given = collectFlags(argv);
  if (!given.ok) return given;
  const flags = given.value;
  if (flags.has('--help') || flags.has('-h')) return Ok({ ...defaults(), mode: { kind: 'help' } });
  const mode = parseMode(flags);
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
    quiet: false,
    lake: 'embedded',
    endpoint: null,
    bucket: null,
    shrinkRunsMax: SHRINK_RUNS_MAX_DEFAULT,
  };
}

function collectFlags(argv: readonly string[]): Result<Map<string, string>, string> {
  const flags = new Map<string, string>();
  for (let position = 0; position < argv.length; position++) {
    const argument = argv[position] ?? '';
    const equals = argument.indexOf('=');
    const name = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    let value = equals > 0 && name !== argument ? argument.slice(equals + 1) : null;
    if (!VALUE_FLAGS.has(name) && !BOOLEAN_FLAGS.has(name)) {
      return Err(
        argument.startsWith('-')
          ? `unknown option '${name}'`
          : `unexpected argument '${argument}' (options start with --)`,
      );
    }
    if (flags.has(name)) return Err(`option ${name} given more than once`);
    if (BOOLEAN_FLAGS.has(name)) {
      if (value !== null) return Err(`option ${name} takes no value`);
      flags.set(name, '');
      continue;
    }
    if (value === null) {
      const next = argv[position + 1];
      if (next === undefined || next.startsWith('--')) return Err(`option ${name} needs a value`);
      value = next;
      position++;
    }
    flags.set(name, value);
  }
  return Ok(flags);
}

function parseMode(flags: ReadonlyMap<string, string>): Result<RunMode, string> {
  const chosen = ['--seed', '--seeds', '--replay'].filter((flag) => flags.has(flag));
  if (chosen.length > 1)
    return Err(`choose one of --seed, --seeds and --replay (got ${chosen.join(', ')})`);
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
  return Ok({ kind: 'seed', seed: null });
}

type NumericOptions = Pick<
  CliOptions,
  'jobs' | 'shard' | 'clients' | 'durationMs' | 'shrinkRunsMax'
>;

function parseNumbers(flags: ReadonlyMap<string, string>): Result<NumericOptions, string> {
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
  flags: ReadonlyMap<string, string>,
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

function contradiction(options: CliOptions, flags: ReadonlyMap<string, string>): string | null {
  const { mode } = options;
  if (mode.kind === 'replay') {
    const fixed = ['--clients', '--duration', '--faults'].filter((flag) => flags.has(flag));
    if (fixed.length > 0)
      return `${fixed.join(', ')} cannot change a replayed plan (the plan fixes them)`;
  }
  if (mode.kind !== 'seeds' && options.shard !== null)
    return '--shard only applies to --seeds A..B';
  if (mode.kind !== 'seeds' && options.jobs !== null) return '--jobs only applies to --seeds A..B';
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
