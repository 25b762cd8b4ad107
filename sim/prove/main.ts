/**
 * `npm run sim:prove`: shows the simulator finds bugs. For each planted bug of the catalogue it
 * plants the bug in a scratch copy of the code, runs seeds in order until an oracle fires, and
 * reports caught / missed and seeds-to-detect in reports/prove.md and reports/prove.json. The
 * unpatched code must first pass the same seeds, or a "caught" would mean nothing.
 *
 *   npm run sim:prove                      all bugs, seeds 1..40
 *   npm run sim:prove -- --seeds 1..100 --bug tiebreak-reversed
 *   npm run sim:prove -- --bug trim-floor-off-by-one --faults swarm   another profile than the bug's
 *   npm run sim:prove -- --skip-failing-baseline   drop seeds the unpatched code fails (listed)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';
import { shrinkSameOracle } from '../shrink/same-oracle';
import { describeShrink } from '../shrink/shrink';
import type { FaultProfileName, FaultRates, Plan, RunResult, SimConfig } from '../types';
import { PLANTED_BUGS, type PlantedBug } from './catalogue';
import { plantInScratch, scratchDir } from './scratch';

interface SimModule {
  defaultSimConfig(
    seed: number,
    overrides?: Partial<Omit<SimConfig, 'seed' | 'faults'>> & { faults?: Partial<FaultRates> },
  ): SimConfig;
  generatePlan(config: SimConfig): Plan;
  runPlan(plan: Plan): Promise<RunResult>;
  minimumHealMs?(faults: FaultRates, durationMs: number): number;
}

interface BugOutcome {
  readonly id: string;
  readonly title: string;
  readonly faults: FaultProfileName;
  readonly status: 'caught' | 'missed' | 'not-applied';
  readonly seed: number | null;
  readonly seedsToDetect: number | null;
  readonly oracles: readonly string[];
  readonly firstViolation: string;
  readonly wallMs: number;
  /** With `--shrink`: the failing plan's events before and after shrinking, and the runs spent. */
  readonly shrink?: { readonly line: string; readonly after: number };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratchRoot = join(repoRoot, '.scratch', 'prove');

/** Scenario size for proving: smaller than the default so a catalogue run stays in minutes. */
const PROVE_OVERRIDES = { clients: 8, durationMs: 30_000 } as const;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    console.log(`bugs: ${PLANTED_BUGS.map((entry) => entry.id).join(', ')}`);
    return 0;
  }
  const args = parseArgs(argv);
  if (args === null) return 2;
  const chosen =
    args.bug === null ? PLANTED_BUGS : PLANTED_BUGS.filter((bug) => bug.id === args.bug);
  const profileOverride = args.faults;
  const bugs =
    profileOverride === null ? chosen : chosen.map((bug) => ({ ...bug, faults: profileOverride }));
  if (bugs.length === 0) {
    console.error(
      `unknown bug ${args.bug}; known: ${PLANTED_BUGS.map((bug) => bug.id).join(', ')}`,
    );
    return 2;
  }
  const started = wallNow();
  const clean = (await import('../index')) as unknown as SimModule;
  // One baseline per distinct (profile, rates) scenario the chosen bugs use.
  const scenarios = new Map(bugs.map((bug) => [scenarioName(bug), bug]));
  const seedsOf = new Map<string, number[]>();
  const leftOut: string[] = [];
  for (const [profile, bug] of scenarios) {
    const passing: number[] = [];
    for (const seed of args.seeds) {
      const result = await runSeed(clean, seed, bug.faults, bug.rates);
      if (result.ok) {
        passing.push(seed);
        continue;
      }
      console.error(
        `baseline fails on seed ${seed} (${profile}): ${result.violations[0]?.message ?? ''}`,
      );
      if (!args.skipFailingBaseline) {
        console.error(
          'fix the real bug first: a planted bug cannot be proven caught on a failing baseline',
        );
        return 1;
      }
    }
    seedsOf.set(profile, passing);
    const failing = args.seeds.filter((seed) => !passing.includes(seed));
    if (failing.length > 0) leftOut.push(`${profile}: ${failing.join(', ')}`);
    const dropped = args.seeds.length - passing.length;
    console.log(
      `baseline: ${passing.length} of seeds ${args.seeds[0]}..${args.seeds[args.seeds.length - 1]} pass under ${profile}` +
        (dropped > 0 ? ` (${dropped} failing seed(s) left out of the proof)` : ''),
    );
  }
  const outcomes: BugOutcome[] = [];
  for (const bug of bugs) {
    const outcome = await proveOne(bug, seedsOf.get(scenarioName(bug)) ?? args.seeds, args.shrink);
    outcomes.push(outcome);
    const where =
      outcome.seed === null
        ? ''
        : ` at seed ${outcome.seed} (${outcome.seedsToDetect} seeds) by ${outcome.oracles.join(', ')}`;
    console.log(`${outcome.status.padEnd(11)} ${bug.id}${where}`);
    if (outcome.shrink !== undefined) console.log(`            shrunk: ${outcome.shrink.line}`);
  }
  writeReports(outcomes, args.seeds, wallNow() - started, args.out, leftOut);
  const caught = outcomes.filter((outcome) => outcome.status === 'caught').length;
  console.log(`\n${caught}/${outcomes.length} planted bugs caught; report: ${args.out}/prove.md`);
  return caught === outcomes.length ? 0 : 1;
}

async function proveOne(
  bug: PlantedBug,
  seeds: readonly number[],
  shrink: boolean,
): Promise<BugOutcome> {
  const started = wallNow();
  const base = { id: bug.id, title: bug.title, faults: bug.faults };
  const problem = plantInScratch(repoRoot, scratchRoot, bug);
  if (problem !== null) {
    return {
      ...base,
      status: 'not-applied',
      seed: null,
      seedsToDetect: null,
      oracles: [],
      firstViolation: problem,
      wallMs: 0,
    };
  }
  const entry = pathToFileURL(join(scratchDir(scratchRoot, bug), 'sim', 'index.ts')).href;
  const patched = (await import(entry)) as SimModule;
  for (const [index, seed] of seeds.entries()) {
    let result: RunResult;
    try {
      result = await runSeed(patched, seed, bug.faults, bug.rates);
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      return {
        ...base,
        status: 'caught',
        seed,
        seedsToDetect: index + 1,
        oracles: ['exception'],
        firstViolation: message,
        wallMs: wallNow() - started,
      };
    }
    if (!result.ok) {
      const oracles = [...new Set(result.violations.map((violation) => violation.oracle))];
      const shrunk = shrink ? await shrinkSameOracle(patched, result) : null;
      return {
        ...(shrunk === null
          ? {}
          : { shrink: { line: describeShrink(shrunk), after: shrunk.after.events } }),
        ...base,
        status: 'caught',
        seed,
        seedsToDetect: index + 1,
        oracles,
        firstViolation: result.violations[0]?.message ?? '',
        wallMs: wallNow() - started,
      };
    }
  }
  return {
    ...base,
    status: 'missed',
    seed: null,
    seedsToDetect: null,
    oracles: [],
    firstViolation: '',
    wallMs: wallNow() - started,
  };
}

function runSeed(
  sim: SimModule,
  seed: number,
  faults: FaultProfileName,
  rates: Partial<FaultRates> = {},
): Promise<RunResult> {
  const overrides = { ...PROVE_OVERRIDES, faultProfile: faults, faults: rates };
  return sim.runPlan(sim.generatePlan(sim.defaultSimConfig(seed, overrides)));
}

function writeReports(
  outcomes: readonly BugOutcome[],
  seeds: readonly number[],
  wallMs: number,
  out: string,
  leftOut: readonly string[],
): void {
  const dir = resolve(repoRoot, out);
  mkdirSync(dir, { recursive: true });
  const range = `${seeds[0]}..${seeds[seeds.length - 1]}`;
  writeFileSync(
    join(dir, 'prove.json'),
    `${JSON.stringify({ seeds: range, scenario: PROVE_OVERRIDES, wallMs, outcomes }, null, 2)}\n`,
  );
  const catalogue = new Map(PLANTED_BUGS.map((bug) => [bug.id, bug]));
  const shrinkColumn = outcomes.some((outcome) => outcome.shrink !== undefined);
  const lines = [
    '# Planted bugs: does the simulator catch them?',
    '',
    `Generated by \`npm run sim:prove\` over seeds ${range} (${PROVE_OVERRIDES.clients} clients, ` +
      `${PROVE_OVERRIDES.durationMs / 1000} s of faults per seed), in ${(wallMs / 1000).toFixed(1)} s of wall time. ` +
      'Each bug is one text replacement in a scratch copy (sim/prove/catalogue.ts); the unpatched code passed the same seeds first' +
      (leftOut.length === 0
        ? '.'
        : ` (seeds it failed were left out of the proof: ${leftOut.join('; ')}).`),
    '',
    `| bug | what goes wrong | faults | result | seeds to detect | oracle(s) | first violation |${shrinkColumn ? ' shrunk |' : ''}`,
    `|---|---|---|---|---|---|---|${shrinkColumn ? '---|' : ''}`,
    ...outcomes.map((outcome) => {
      const bug = catalogue.get(outcome.id);
      const violation = outcome.firstViolation.replaceAll('|', '\\|').slice(0, 160);
      const shrunk = shrinkColumn ? ` ${outcome.shrink?.line ?? '—'} |` : '';
      return `| \`${outcome.id}\` | ${bug?.consequence ?? ''} | ${outcome.faults} | **${outcome.status}** | ${outcome.seedsToDetect ?? '—'} | ${outcome.oracles.join(', ') || '—'} | ${violation} |${shrunk}`;
    }),
    '',
    `${outcomes.filter((outcome) => outcome.status === 'caught').length} of ${outcomes.length} caught.`,
    '',
  ];
  writeFileSync(join(dir, 'prove.md'), lines.join('\n'));
}

interface ProveArgs {
  readonly seeds: number[];
  readonly bug: string | null;
  /** Run every chosen bug under this profile instead of its own. */
  readonly faults: FaultProfileName | null;
  /** Leave seeds the unpatched code fails out of the proof instead of stopping. */
  readonly skipFailingBaseline: boolean;
  /** Folder of prove.md / prove.json, relative to the repository (default `reports`). */
  readonly out: string;
  /** Shrink each caught failure with the default budget and report events before → after. */
  readonly shrink: boolean;
}

const USAGE =
  'usage: sim:prove [--seeds A..B] [--bug ID] [--faults PROFILE] [--skip-failing-baseline] [--out DIR] [--shrink]';

function parseArgs(argv: readonly string[]): ProveArgs | null {
  let seeds = range(1, 40);
  let bug: string | null = null;
  let faults: FaultProfileName | null = null;
  let skipFailingBaseline = false;
  let out = 'reports';
  let shrink = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--seeds' && value !== undefined) {
      const match = /^(\d+)\.\.(\d+)$/.exec(value);
      if (match === null || Number(match[1]) > Number(match[2])) {
        console.error(`--seeds takes A..B with A ≤ B, got ${value}`);
        return null;
      }
      seeds = range(Number(match[1]), Number(match[2]));
      i++;
    } else if (flag === '--bug' && value !== undefined) {
      bug = value;
      i++;
    } else if (flag === '--faults' && value !== undefined) {
      if (!(FAULT_PROFILE_NAMES as readonly string[]).includes(value)) {
        console.error(`--faults takes one of ${FAULT_PROFILE_NAMES.join('|')}, got ${value}`);
        return null;
      }
      faults = value as FaultProfileName;
      i++;
    } else if (flag === '--out' && value !== undefined) {
      out = value;
      i++;
    } else if (flag === '--shrink') {
      shrink = true;
    } else if (flag === '--skip-failing-baseline') {
      skipFailingBaseline = true;
    } else {
      console.error(`unknown argument ${flag}; ${USAGE}`);
      return null;
    }
  }
  return { seeds, bug, faults, skipFailingBaseline, out, shrink };
}

function scenarioName(bug: PlantedBug): string {
  return bug.rates === undefined
    ? `'${bug.faults}'`
    : `'${bug.faults}' with ${JSON.stringify(bug.rates)}`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function wallNow(): number {
  return Date.now();
}

process.exitCode = await main();
