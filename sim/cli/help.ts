import { CLIENTS_MAX, DURATION_SECONDS_MAX, JOBS_MAX, SHRINK_RUNS_MAX_DEFAULT } from './args';
import { FAILING_SEEDS_SHRUNK_MAX } from './run-seeds';

/** The text printed by `--help` (and after a usage error's one-line message). */
export const USAGE = `LakeSync deterministic simulator

usage: bun run sim [options]            (or: npm run sim:node -- [options]; same behaviour)

what to run (choose one; default: one fresh seed drawn from the OS and printed):
  --seed N              run one seed (a non-negative integer)
  --seeds A..B          run every seed from A to B inclusive, one line per failing seed, a tally
  --replay FILE         run a plan JSON exactly (e.g. reports/<seed>-min.json)

shaping the scenario (not with --replay: the plan fixes them):
  --clients N           virtual clients, 1..${CLIENTS_MAX} (default: the engine's)
  --duration SECONDS    virtual length of the fault phase, up to ${DURATION_SECONDS_MAX} (default: the engine's)
  --faults PROFILE      none | calm | default | swarm | chaos (default: the engine's)

many seeds:
  --jobs N              worker threads, 1..${JOBS_MAX} (default: the machine's cores)
  --shard i/n           run only seeds s with s mod n == i-1 (1-based: --shard 1/4 .. 4/4)

output:
  --report DIR          HTML and JSON reports go to DIR/<seed>.html|json (default: reports/sim
                        under the repository); with --seeds only failing seeds get a report
  --quiet               no progress bar and no summary table (failures and the trace hash still print)
  --shrink-runs N       shrinker budget per failing seed, in runs of the plan; 0 disables shrinking
                        (default ${SHRINK_RUNS_MAX_DEFAULT}; with --seeds only the first ${FAILING_SEEDS_SHRUNK_MAX} or so failing seeds are shrunk)

lake round trip (one seed or --replay, after every oracle holds):
  --lake embedded|none  write the lake to a real S3 server and check it reads back (default embedded:
                        an S3 server started in-process)
  --endpoint URL        use this S3 endpoint (e.g. MinIO) instead of the embedded server;
                        credentials from LAKESYNC_S3_ACCESS_KEY_ID / LAKESYNC_S3_SECRET_ACCESS_KEY
                        (default lakesync / lakesync123)
  --bucket B            bucket at --endpoint (default lakesync)

  --help, -h            this text

exit status: 0 when every oracle holds, 1 when one broke (the minimal plan is written to
reports/<seed>-min.json and the replay command printed), 2 on bad usage or a missing engine.
`;
