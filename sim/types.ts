/**
 * The simulator's shared vocabulary: what a scenario is (a `Plan`, replayable as JSON), what a run
 * produces (`RunResult`), and the named fault probabilities of one seed (swarm testing).
 *
 * A run is `generatePlan(config)` (seed → explicit events) then `runPlan(plan)`. Replaying a plan
 * file runs exactly the same events, and the network/storage/clock randomness comes from PRNG
 * streams forked from `plan.seed` by name, so a plan replays bit for bit. Shrinking edits the
 * events of a plan and keeps the seed.
 */

/** Probabilities and magnitudes of every fault, one named field each (TigerBeetle style). */
export interface FaultRates {
  /** Per network message: dropped before delivery. */
  readonly dropProbability: number;
  /** Per network message: delivered twice (the copy arrives later). */
  readonly duplicateProbability: number;
  /** Per request: the gateway acts but the reply is lost. */
  readonly replyLossProbability: number;
  /** Network one-way latency bounds (uniform); reordering follows from the spread. */
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  /** Per storage put: fails without landing. */
  readonly storagePutFailProbability: number;
  /** Per storage put: lands but the reply reports failure. */
  readonly storageLostReplyProbability: number;
  /** Storage latency bounds (uniform); "slow storage" is a high max. */
  readonly storageLatencyMsMin: number;
  readonly storageLatencyMsMax: number;
  /** Expected number of each scheduled fault event over the fault phase. */
  readonly partitionsPerRun: number;
  readonly clockSkewsPerRun: number;
  readonly clockJumpsPerRun: number;
  readonly gatewayRestartsPerRun: number;
  readonly clientRestartsPerRun: number;
  readonly offlinePeriodsPerRun: number;
  /** Largest clock skew magnitude applied (ms, either sign); may exceed the 5 s drift limit. */
  readonly clockSkewMsMax: number;
  /** Largest drift rate, in parts per million, either sign. */
  readonly clockDriftPpmMax: number;
  /**
   * Expected client reincarnations over the fault phase (ADR-021): a restart with the outbox
   * wiped but the client id kept. Only the `reincarnation` profile sets it (absent: none).
   */
  readonly reincarnationsPerRun?: number;
  /** Expected second sync loops over the fault phase (absent: as many as `clientRestartsPerRun`). */
  readonly secondLoopsPerRun?: number;
  /**
   * Per call on a client's outbox: fails without effect, as an aborted IndexedDB transaction does
   * (a full disk, say). Absent in older plans and in the profiles that do not set it: never.
   */
  readonly outboxFailProbability?: number;
  /**
   * Longest time one call on a client's outbox takes, drawn per call (an IndexedDB transaction
   * under load); calls still complete in the order they were made. Absent: every call at once.
   */
  readonly outboxLatencyMsMax?: number;
  /**
   * Expected restores from backup over the fault phase (ADR-021): a client checkpoints its
   * outbox, works on, then dies and comes back restored from the checkpoint under the same id.
   * Only the `reincarnation` profile sets it (absent: none).
   */
  readonly backupRestoresPerRun?: number;
}

/** Named fault profiles for `--faults`. `swarm` draws each rate per seed. */
export type FaultProfileName =
  | 'none'
  | 'calm'
  | 'default'
  | 'swarm'
  | 'chaos'
  | 'trim'
  | 'reincarnation';

/** Everything that shapes a scenario before events are drawn. */
export interface SimConfig {
  readonly seed: number;
  readonly clients: number;
  readonly tables: readonly string[];
  /** Rows per table; the first `hotRows` of each table take most writes (conflicts). */
  readonly rowsPerTable: number;
  readonly hotRows: number;
  /** Virtual length of the fault phase, then of the heal phase (faults stop, clocks re-sync). */
  readonly durationMs: number;
  readonly healMs: number;
  /** Mean writes per client per virtual second during the fault phase. */
  readonly writesPerClientPerSecond: number;
  readonly faultProfile: FaultProfileName;
  readonly faults: FaultRates;
  /**
   * How the run reaches delicate states (ADR-017): gateway log retention, state-triggered faults
   * and fault focus. Absent in older plans: the gateway's simulator defaults, no triggers.
   */
  readonly reach?: ReachConfig;
}

/** Protocol events a fault can be armed on (ADR-017); see `sim/world/triggers.ts`. */
export type TriggerName =
  | 'after-snapshot-page'
  | 'recovery-read'
  | 'envelope-landed'
  | 'claim-before-send';

/** Where a run's faults concentrate (swarm): one client, or one short window of the fault phase. */
export type FaultFocus =
  | { readonly kind: 'client'; readonly client: number }
  | { readonly kind: 'window'; readonly fromMs: number; readonly toMs: number };

/** The reach settings of a run (see `SimConfig.reach`). */
export interface ReachConfig {
  /** The gateway's `logRetainMax` (flushed entries kept for pulls); absent: the simulator default. */
  readonly logRetainMax?: number;
  /** The gateway's `pullDeltasMax` (so snapshots take several pages); absent: the simulator default. */
  readonly pageDeltasMax?: number;
  /** Offline periods last between these (ms) instead of the usual outage bounds. */
  readonly offlineMsMin?: number;
  readonly offlineMsMax?: number;
  /** Per protocol event of each kind, during the fault phase: the chance a fault is armed on it. */
  readonly triggers?: Readonly<Partial<Record<TriggerName, number>>>;
  readonly focus?: FaultFocus;
}

/** One scheduled event of a plan. Times are virtual ms from the start of the run. */
export type PlanEvent =
  | {
      readonly kind: 'write';
      readonly atMs: number;
      readonly client: number;
      readonly op: 'insert' | 'update' | 'delete';
      readonly table: string;
      readonly rowId: string;
      /** Column values for insert/update (JSON). */
      readonly values: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'partition';
      readonly atMs: number;
      readonly durationMs: number;
      readonly clients: readonly number[];
      /** 'both' cuts both directions; 'to-gateway' / 'from-gateway' cut one way. */
      readonly direction: 'both' | 'to-gateway' | 'from-gateway';
    }
  | {
      readonly kind: 'offline';
      readonly atMs: number;
      readonly durationMs: number;
      readonly client: number;
    }
  | {
      readonly kind: 'clock-skew';
      readonly atMs: number;
      readonly client: number;
      readonly skewMs: number;
      readonly driftPpm: number;
    }
  | {
      readonly kind: 'clock-jump';
      readonly atMs: number;
      readonly client: number;
      readonly jumpMs: number;
    }
  | { readonly kind: 'gateway-restart'; readonly atMs: number; readonly downMs: number }
  | {
      readonly kind: 'client-restart';
      readonly atMs: number;
      readonly client: number;
      readonly downMs: number;
    }
  | {
      /** A second sync loop (a second tab) over the client's outbox for `durationMs`. */
      readonly kind: 'second-loop';
      readonly atMs: number;
      readonly client: number;
      readonly durationMs: number;
    }
  | {
      /**
       * The client's process dies and comes back `downMs` later with its outbox wiped (site data
       * cleared, a restore) but its client id kept (ADR-021). Its clock comes back `clockBackMs`
       * behind the gateway's accepted watermark for the id, and it stays offline for `offlineMs`,
       * so what it writes meanwhile is stamped below that watermark.
       */
      readonly kind: 'reincarnation';
      readonly atMs: number;
      readonly client: number;
      readonly downMs: number;
      readonly clockBackMs: number;
      readonly offlineMs: number;
    }
  | {
      /**
       * A restore from backup (ADR-021): at `atMs` the client's durable state — its outbox with
       * every entry's status and retry count, and the outbox's `lastHlc` (the client persists
       * nothing else: its replica and cursor are rebuilt by pulls) — is saved in a checkpoint;
       * the client goes on working and syncing; `restoreAfterMs` later it dies and comes back
       * `downMs` after that, restored from the checkpoint, under the same id, offline for
       * `offlineMs` more.
       * Writes made after the checkpoint that the gateway had not accepted by the crash are lost
       * by definition; everything else must reach the lake, each write once.
       */
      readonly kind: 'backup-restore';
      readonly atMs: number;
      readonly client: number;
      readonly restoreAfterMs: number;
      readonly downMs: number;
      readonly offlineMs: number;
    };

/** A complete, replayable scenario. Written to `reports/<seed>-min.json` after shrinking. */
export interface Plan {
  readonly version: 1;
  readonly seed: number;
  readonly config: SimConfig;
  /** Sorted by `atMs`, ties in array order. */
  readonly events: readonly PlanEvent[];
}

/** The seven oracles of DESIGN.md section 6. */
export type OracleName =
  | 'convergence'
  | 'idempotency'
  | 'durability'
  | 'model-agreement'
  | 'monotonicity'
  | 'liveness'
  | 'determinism'
  | 'lake-roundtrip'
  | 'progress'
  | 'writes-follow-reads'
  | 'read-your-writes'
  | 'monotonic-reads'
  | 'outbox-claims'
  | 'redelivery'
  | 'applied-once';

/** A broken oracle: which, and what it saw (short, human readable, with ids). */
export interface Violation {
  readonly oracle: OracleName;
  readonly message: string;
  readonly atMs: number;
}

/** Counters for the summary table. */
export interface RunStats {
  readonly clients: number;
  readonly ops: number;
  readonly deltasPushed: number;
  readonly deltasPulled: number;
  readonly messagesSent: number;
  readonly duplicatesDelivered: number;
  readonly messagesDropped: number;
  readonly repliesLost: number;
  readonly partitions: number;
  readonly gatewayRestarts: number;
  readonly clientRestarts: number;
  readonly clockSkewMsMax: number;
  readonly flushes: number;
  readonly flushFailures: number;
  readonly lakeObjects: number;
  readonly virtualMs: number;
  readonly wallMs: number;
  /** Virtual time ÷ wall time: how much faster than real time the run went (0 if unmeasured). */
  readonly virtualMsPerWallMs: number;
  /**
   * Liveness: virtual ms from the end of the fault phase until every outbox was empty and every
   * replica agreed (checked once per virtual second); `null` if that never happened. Optional:
   * added with the engine.
   */
  readonly settledAfterHealMs?: number | null;
}

/** One row of the report's timeline. `lane` is `gateway`, `lake`, `client-<n>` or `faults`. */
export interface TimelineEvent {
  readonly atMs: number;
  readonly lane: string;
  readonly kind: string;
  readonly detail: string;
}

/** What a run produced. `ok` iff `violations` is empty. */
export interface RunResult {
  readonly ok: boolean;
  readonly plan: Plan;
  readonly violations: readonly Violation[];
  readonly traceHash: string;
  readonly stats: RunStats;
  readonly timeline: readonly TimelineEvent[];
  /** Fault kind × phase ('fault' | 'heal') → how many times it fired, for the coverage table. */
  readonly coverage: Readonly<Record<string, { readonly fault: number; readonly heal: number }>>;
  /** The lake's objects at the end (key → bytes), for the real-S3 round trip. */
  readonly lakeObjects: ReadonlyMap<string, Uint8Array>;
}
