import type { RowDelta } from '../../src/delta/types';
import type { HLCTimestamp } from '../../src/hlc/types';
import type {
  ClaimedBatch,
  OutboxChanges,
  OutboxMark,
  QueueEntry,
  Restamp,
  RestampOptions,
  SyncQueue,
} from '../../src/queue/types';
import type { LakeSyncError } from '../../src/result/errors';
import type { Result } from '../../src/result/result';

/**
 * The outbox-claims oracle: a `SyncQueue` in front of a client's durable outbox, shared by every
 * sync loop over it (a second loop is a second tab), that checks the queue contract under
 * concurrency — a claim never hands out an entry that is already being sent (claimed and not yet
 * acked, nacked or removed), so one outbox never sends a delta twice at once. Costs O(entries
 * claimed or settled) per call.
 */
export class ClaimWatchQueue implements SyncQueue {
  readonly #inner: SyncQueue;
  readonly #onProblem: (message: string) => void;
  /** Entries claimed and not yet settled: id → HLC (for `removeDurable`). */
  readonly #inFlight = new Map<string, HLCTimestamp>();
  #reported = false;

  constructor(inner: SyncQueue, onProblem: (message: string) => void) {
    this.#inner = inner;
    this.#onProblem = onProblem;
  }

  /** The process died: every claim it held is abandoned (the next `open` resets them). */
  abandonAll(): void {
    this.#inFlight.clear();
  }

  push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>> {
    return this.#inner.push(delta);
  }

  peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#inner.peek(limit);
  }

  async markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    const marked = await this.#inner.markSending(ids);
    if (marked.ok) {
      const entries = await this.#inner.entries();
      if (entries.ok) {
        const wanted = new Set(ids);
        this.#taken(entries.value.filter((entry) => wanted.has(entry.id)));
      }
    }
    return marked;
  }

  async claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const claimed = await this.#inner.claim(limit);
    if (claimed.ok) this.#taken(claimed.value);
    return claimed;
  }

  async claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>> {
    const claimed = await this.#inner.claimBatch(limit);
    if (claimed.ok) this.#taken(claimed.value.entries);
    return claimed;
  }

  async ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    for (const id of ids) this.#inFlight.delete(id);
    return this.#inner.ack(ids);
  }

  async nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    for (const id of ids) this.#inFlight.delete(id);
    return this.#inner.nack(ids);
  }

  reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    return this.#inner.reopen(acceptedHlc);
  }

  async removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    for (const [id, hlc] of this.#inFlight) if (hlc <= durableHlc) this.#inFlight.delete(id);
    return this.#inner.removeDurable(durableHlc);
  }

  /** Entries in flight are never restamped nor held (the queue refuses them): no claim changes. */
  restamp(
    replacements: readonly Restamp[],
    options?: RestampOptions,
  ): Promise<Result<number, LakeSyncError>> {
    return this.#inner.restamp(replacements, options);
  }

  entries(): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#inner.entries();
  }

  entriesSince(since: OutboxMark): Promise<Result<OutboxChanges, LakeSyncError>> {
    return this.#inner.entriesSince(since);
  }

  depth(): Promise<Result<number, LakeSyncError>> {
    return this.#inner.depth();
  }

  lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>> {
    return this.#inner.lastHlc();
  }

  async clear(): Promise<Result<void, LakeSyncError>> {
    this.#inFlight.clear();
    return this.#inner.clear();
  }

  #taken(entries: readonly QueueEntry[]): void {
    const inFlight = this.#inFlight;
    for (const entry of entries) {
      // One lookup, not `has` then `set`: the map did not grow iff the entry was in flight.
      const size = inFlight.size;
      inFlight.set(entry.id, entry.delta.hlc);
      if (inFlight.size === size && !this.#reported) {
        this.#reported = true; // one report per outbox: the rest are the same bug
        this.#onProblem(
          `claim handed out entry ${entry.id.slice(0, 12)} (${entry.delta.clientId} hlc ${entry.delta.hlc >> 16n}.${entry.delta.hlc & 0xffffn}) while it was already being sent: the outbox would send it twice at once`,
        );
      }
    }
  }
}
