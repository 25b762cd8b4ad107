/** What `bench/main.ts` was asked to do. */
export interface BenchArgs {
  /** Tiny inputs and budgets: a fast pass that checks everything runs. */
  readonly quick: boolean;
  /** Also measure under Bun in a child process (default on; `--no-bun` turns it off). */
  readonly bun: boolean;
  /** Run as the Bun child: measure, write the runtime's figures to `jsonPath`, nothing else. */
  readonly child: boolean;
  readonly jsonPath: string | null;
  /** Where `bench.md`, `bench.json` and `bench.svg` go. */
  readonly outDir: string;
  /** Suite ids to run (`--only a,b`); `null` runs every suite. */
  readonly only: readonly string[] | null;
  /** Run this runtime's suites in this process (for profiling), not one child per suite. */
  readonly inProcess: boolean;
  /** Whole runs back to back (`--runs N`): 2 by default, 1 with `--quick`. */
  readonly runs: number;
  readonly help: boolean;
}

/** The usage text for `--help` and for bad arguments. */
export const USAGE = `Usage: npm run bench -- [options]
  (node --expose-gc --import tsx bench/main.ts [options])

Measures LakeSync against baselines run in the same process and writes
reports/bench.md, reports/bench.json and reports/bench.svg.

Options:
  --quick          tiny inputs and time budgets (a fast pass; figures are not comparable)
  --no-bun         measure under the current runtime only (default: also under Bun, via npx bun)
  --only a,b       run only these suites: delta-id, codec, merge, delta-buffer, gateway-push,
                   tab-merge, http-push, memory, append-growth, simulator
  --out DIR        write the report files to DIR (default: reports)
  --runs N         measure everything N times back to back (default 2, or 1 with --quick); a
                   target counts as met only if it holds on every run
  --in-process     run this runtime's suites in this process, not one fresh process per
                   suite (for node --cpu-prof; suites may then affect each other's figures)
  --child          internal: run as the Bun child and write figures to --json FILE
  --json FILE      internal: where --child writes its figures
  --help           this text
`;

/** Parses command-line arguments; `Err`-like `{ error }` with a message for anything unknown. */
export function parseArgs(argv: readonly string[]): { args: BenchArgs } | { error: string } {
  let quick = false;
  let bun = true;
  let child = false;
  let help = false;
  let jsonPath: string | null = null;
  let outDir = 'reports';
  let only: string[] | null = null;
  let inProcess = false;
  let runs: number | null = null;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const value = (): string | null => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) return null;
      index++;
      return next;
    };
    switch (arg) {
      case '--quick':
        quick = true;
        break;
      case '--no-bun':
        bun = false;
        break;
      case '--child':
        child = true;
        break;
      case '--in-process':
        inProcess = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--runs': {
        const given = value();
        const count = given === null ? Number.NaN : Number(given);
        if (!Number.isInteger(count) || count < 1 || count > 10) {
          return {
            error: `--runs needs a whole number from 1 to 10, not ${JSON.stringify(given)}`,
          };
        }
        runs = count;
        break;
      }
      case '--json':
      case '--out':
      case '--only': {
        const given = value();
        if (given === null) return { error: `${arg} needs a value` };
        if (arg === '--json') jsonPath = given;
        else if (arg === '--out') outDir = given;
        else
          only = given
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name !== '');
        break;
      }
      default:
        return { error: `unknown argument ${JSON.stringify(arg)}` };
    }
  }
  if (child && jsonPath === null) return { error: '--child needs --json FILE' };
  return {
    args: {
      quick,
      bun: bun && !child,
      child,
      jsonPath,
      outDir,
      only,
      inProcess,
      runs: runs ?? (quick ? 1 : 2),
      help,
    },
  };
}
