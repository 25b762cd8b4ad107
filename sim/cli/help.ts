import { FAULT_PROFILE_NAMES } from '../faults/profiles';
import { CLIENTS_MAX, DURATION_SECONDS_MAX, JOBS_MAX, SHRINK_RUNS_MAX_DEFAULT } from './args';
import { DEFAULT_INVOCATION, type Invocation } from './invocation';
import { DEFAULT_BUCKET } from './lake-target';
import { FAILING_SEEDS_SHRUNK_MAX } from './run-seeds';

/**
 * The text printed by `--help`. Its example commands start the way the simulator was started
 * (`invocation`), so each runs as printed.
 */
export function usage(invocation: Invocation = DEFAULT_INVOCATION): string {
  const run = invocation.prefix;
  return `LakeSync deterministic simulator

usage: ${run} [options]
  e.g. ${run} --seed 42
       ${run} --seeds 1..200 --jobs 2
       ${run} --replay reports/42-min.json
  (from a fresh clone after npm ci: npm run sim -- [options], or npx bun run sim [options];
   where Bun is installed: bun run sim [options]; on Node: npm run sim:node -- [options])

what to run (choose one; default: one fresh seed drawn from the OS and printed):
  --seed N              run one seed (a non-negative integer)
  --seeds A..B          run every seed from A to B inclusive, one line per failing seed, a tally
  --replay FILE         run a plan JSON exactly (e.g. reports/<seed>-min.json)
  --merge DIR…          merge the sweep summaries (--summary-json files) in these folders (or
                        files) into one verdict: shards of one sweep, or sweeps of several profiles

shaping the scenario (not with --replay: the plan fixes them):
  --clients N           virtual clients, 1..${CLIENTS_MAX} (default: the engine's)
  --duration SECONDS    virtual length of the fault phase, up to ${DURATION_SECONDS_MAX} (default: the engine's)
  --faults PROFILE      ${FAULT_PROFILE_NAMES.join(' | ')}
                        (default: the engine's); reincarnation: clients come back with their
                        outbox wiped but their id kept, their clock behind what they had stamped,
                        or restored from a backup of their outbox taken while writes were unsent

many seeds:
  --jobs N              worker threads, 1..${JOBS_MAX} (default: the machine's cores)
  --shard i/n           run only seeds s with s mod n == i-1 (1-based: --shard 1/4 .. 4/4)
  --summary-json FILE   write the sweep's machine-readable summary (every seed's trace hash, the
                        failures, coverage, the slowest seed) to FILE, for --merge

output:
  --report DIR          HTML and JSON reports go to DIR/<seed>.html|json (default: reports/sim
                        under the repository); with --seeds only failing seeds get a report
  --quiet               no progress and no summary table (the verdict, failures and trace hash print)
  --shrink-runs N       shrinker budget per failing seed, in runs of the plan; 0 disables shrinking
                        (default ${SHRINK_RUNS_MAX_DEFAULT}; with --seeds only the first ${FAILING_SEEDS_SHRUNK_MAX} or so failing seeds are shrunk)

lake round trip (one seed or --replay, after every oracle holds):
  --lake embedded|none  write the lake to a real S3 server and check it reads back (default embedded:
                        an S3 server started in-process)
  --endpoint URL        use this S3 endpoint (e.g. MinIO) instead of the embedded server;
                        credentials from LAKESYNC_S3_ACCESS_KEY_ID / LAKESYNC_S3_SECRET_ACCESS_KEY
                        (default lakesync / lakesync123)
  --bucket B            bucket at --endpoint (default ${DEFAULT_BUCKET})

  --help, -h            this text

The last line on stdout is the verdict, e.g. "seed 42: every oracle holds (15 of 15)" or
"seed 7: FAIL convergence at 20,000 ms, 1 of 15 oracles broken → <the command that replays it>".

exit status:
  0  every oracle holds (on every seed run or merged)
  1  an oracle was violated or the engine crashed: the minimal plan is written to
     reports/<seed>-min.json and the command that replays it printed
  2  bad usage: unknown or malformed option, unreadable plan or summary file, missing engine
  3  infrastructure: lake endpoint unreachable, a report, plan or summary file not writable,
     a worker thread died, an internal error (wins over 1: the evidence is incomplete)
`;
}
