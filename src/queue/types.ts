import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { LakeSyncError } from '../result/errors';
import type { Result } from '../result/result';

/**
 * Where an outbox entry is in its life:
 *
 * ```
 *            push                claim / markSending          ack (gateway accepted)
 *   (new) ─────────▶ pending ─────────────────────▶ sending ─────────────────────▶ accepted
 *                      ▲  ▲                            │                              │
 *                      │  └──── nack (retryCount+1) ───┘                              │
 *                      └───────── reopen (retryCount+1: the gateway lost it) ─────────┘
 *
 *   any state ── removeDurable (delta.hlc ≤ the client's durable watermark) ──▶ (removed)
 *
 *   pending / accepted ── restamp (a reused client id: new HLC and deltaId, same seq) ──▶ pending
 *   pending ── restamp's `held` (its delta came back in a pull: the gateway holds it) ──▶ accepted
 * ```
 */
export type QueueEntryStatus = 'pending' | 'sending' | 'accepted';

/** One delta waiting in the outbox. Its `id` is the delta's `deltaId`. */
export interface QueueEntry {
  readonly id: string;
  readonly delta: RowDelta;
  readonly status: QueueEntryStatus;
  /** Position in push order; strictly increasing within a queue, never reused. */
  readonly seq: number;
  readonly retryCount: number;
}

/**
 * What `SyncQueue.claimBatch` took: entries adjacent in push order, and where they sit.
 */
export interface ClaimedBatch {
  /** The claimed entries (now `sending`), oldest first; empty when nothing is pending. */
  readonly entries: QueueEntry[];
  /**
   * The HLC of the entry just before `entries[0]` in push order, whatever its state (what the
   * gateway must already hold before this batch); `0n` when the batch starts the outbox or is
   * empty.
   */
  readonly baseHlc: HLCTimestamp;
}

/**
 * One replacement for `SyncQueue.restamp`: the entry `id` is to hold `delta` instead (the same
 * write stamped again, so a new HLC and, by ADR-009, a new `deltaId`, which becomes its id).
 */
export interface Restamp {
  readonly id: string;
  readonly delta: RowDelta;
}

/**
 * What `SyncQueue.restamp` does besides replacing deltas, in the same atomic step (ADR-021: a
 * client whose id the gateway's watermark shows reused, or an outbox restored from a backup).
 */
export interface RestampOptions {
  /**
   * Entries the gateway is known to hold (the client saw their deltas come back in a pull): each
   * becomes `accepted`, keeping its delta, id, `seq` and `retryCount`, so it is neither stamped
   * again nor sent again. Each must be queued, not `sending`, listed once and not replaced.
   */
  readonly held?: readonly string[];
  /**
   * `lastHlc` rises to at least this: the gateway's watermark for the id, which the outbox now
   * answers for (every entry at or below it is held by the gateway or stamped again above it).
   */
  readonly lastHlcMin?: HLCTimestamp;
}

/**
 * Where a reader of the outbox stands (`SyncQueue.entriesSince`): it has read every entry with
 * `seq` at or below `seq`, as the outbox held them when its restamp count was `restamps`, in the
 * incarnation `incarnation` of the outbox. A mark belongs to the outbox that gave it: read against
 * another incarnation (a database deleted and created again under a live tab, its seqs starting
 * at 1 again) or another queue, it reads everything, so that no entry is skipped.
 */
export interface OutboxMark {
  /** Every entry at or below this `seq` has been read (0: none). */
  readonly seq: number;
  /** The outbox's restamp count at that read; `null` when not known (the next read is complete). */
  readonly restamps: number | null;
  /**
   * Which life of the outbox the mark was read from: the `deltaId` of the delta pushed at seq 1
   * (a SHA-256 over the writer's client id, HLC and write, so each new life gets a new one).
   * `null` before anything has been pushed, and for good in an outbox whose life began before the
   * field existed or from a checkpoint; a new life is named at its first push, so it never
   * shares `null` with an older one for longer than it holds no entry.
   */
  readonly incarnation: string | null;
}

/** A reader that has read nothing: `entriesSince` from it returns every entry. */
export const OUTBOX_START: OutboxMark = Object.freeze({
  seq: 0,
  restamps: null,
  incarnation: null,
});

/** What `SyncQueue.entriesSince` read. */
export interface OutboxChanges {
  /** The entries the reader has not read, in push order, whatever their state. */
  readonly entries: QueueEntry[];
  /**
   * True when `entries` is every entry: the outbox was restamped since the mark (an entry under
   * an old `seq` may hold a new delta), the mark's restamp count was not known, or the mark is
   * not this outbox's (another incarnation, or a `seq` beyond any it has handed out).
   */
  readonly complete: boolean;
  /** Where the reader stands after this read; pass it to the next `entriesSince`. */
  readonly mark: OutboxMark;
}

/** The named bound of an outbox. */
export interface QueueOptions {
  /** Most entries held at once; a push beyond it is refused with `QueueError`. */
  readonly entriesMax: number;
}

/** The default outbox bound. */
export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { entriesMax: 100_000 };

/**
 * A client's durable outbox. Contract: entries come out in push order; `push` of a delta whose
 * `deltaId` is already queued returns the existing entry and adds nothing; `claim` (and
 * `peek` + `markSending`) never hands the same pending entry to two callers; every method resolves
 * to a `Result` and never rejects. The queue also remembers the highest HLC ever pushed, after
 * its entry is removed, so a restarted client never stamps a write at or below it.
 */
export interface SyncQueue {
  /** Adds a delta as `pending`; idempotent by `deltaId`; `QueueError` when full. */
  push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>>;
  /** The oldest `limit` pending entries, in push order, without changing them. */
  peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>>;
  /** Moves the given entries pending → sending, all or none; `QueueError` if any is not pending. */
  markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>>;
  /** Atomically takes the oldest `limit` pending entries and marks them sending. */
  claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>>;
  /**
   * Atomically takes a batch to push: the oldest pending entry and the entries right after it in
   * push order while they are pending (at most `limit`), marked sending, with the HLC of the entry
   * just before the batch. The batch stops at the first entry in another state (one that another
   * loop over the same outbox is sending, say), so a push never has a hole. O(limit), whatever
   * the outbox holds.
   */
  claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>>;
  /** sending → accepted (the gateway accepted them; not yet durable). Unknown ids are ignored. */
  ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>>;
  /** sending → pending with `retryCount + 1`. Unknown ids are ignored. */
  nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>>;
  /**
   * accepted → pending with `retryCount + 1` for entries whose HLC is above `acceptedHlc` (the
   * gateway lost them). With `nack`, the only way back to pending, so `retryCount` 0 means the
   * entry was never sent.
   */
  reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>>;
  /** Removes every entry, in any state, whose delta HLC ≤ `durableHlc`; returns how many. */
  removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>>;
  /** All entries in push order, whatever their state (for restart recovery and inspection). */
  entries(): Promise<Result<QueueEntry[], LakeSyncError>>;
  /**
   * The entries a reader standing at `since` has not read, in one atomic read: those with a `seq`
   * above `since.seq`, in push order, or every entry (`complete`) when the outbox was restamped
   * since the mark (a restamp keeps `seq` but changes the delta), its restamp count is `null`, or
   * the mark is from another incarnation of the outbox or lies beyond every `seq` it handed out.
   * The returned mark covers every `seq` the outbox has handed out, so entries pushed later are
   * the only ones above it. O(entries returned), whatever the outbox holds. For a second tab that
   * merges what another queued (`SyncClient.mergeOutbox`); status changes and removals are not
   * reported (they change no delta). `QueueError` when `since` is not a mark.
   */
  entriesSince(since: OutboxMark): Promise<Result<OutboxChanges, LakeSyncError>>;
  /** Number of entries in any state. */
  depth(): Promise<Result<number, LakeSyncError>>;
  /** The highest delta HLC ever pushed, kept after removal; `null` for a new queue. */
  lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>>;
  /**
   * Replaces the delta of each given entry, all or none, in one atomic step: entry `id` then holds
   * `delta`, under the id `delta.deltaId`, at the same place in push order (its `seq` is kept), as
   * `pending` with its `retryCount` kept; `lastHlc` rises to the highest new HLC. For a client that
   * finds its id was used by another outbox (ADR-013, Risks): its writes are stamped again above
   * the gateway's watermark. In the same step the `options.held` entries become `accepted` and
   * `lastHlc` rises to `options.lastHlcMin` (see `RestampOptions`). `QueueError`, and nothing
   * changes, when an id (replaced or held) is not queued, is given twice or is `sending` (a loop
   * has it in flight), or a new `deltaId` is already queued on an entry not being replaced.
   * Returns how many entries were replaced. Replacing any counts one restamp (see `entriesSince`),
   * so that a reader that read the old deltas reads them all again.
   */
  restamp(
    replacements: readonly Restamp[],
    options?: RestampOptions,
  ): Promise<Result<number, LakeSyncError>>;
  /** Removes every entry (the remembered `lastHlc` stays). */
  clear(): Promise<Result<void, LakeSyncError>>;
}
