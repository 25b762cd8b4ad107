import type { RowDelta } from '../delta/types';
import { HLC } from '../hlc/hlc';
import { OUTBOX_START, type OutboxMark, type SyncQueue } from '../queue/types';
import { type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { Replica } from './replica';
import type { ReplicaEvent } from './replica-event';
import { SerialRun } from './serial-run';

/** What an `OutboxMerge` works on: the client's own outbox, replica and clock. */
export interface OutboxMergeDeps {
  readonly queue: SyncQueue;
  readonly replica: Replica;
  readonly hlc: HLC;
  readonly isClosed: () => boolean;
  readonly onApplied?: (event: ReplicaEvent) => void;
}

/**
 * A client's merges of what other clients over the same outbox (other tabs) queued (ADR-023). It
 * keeps the client's mark — every entry at or below `seq` merged, as the outbox held them at its
 * restamp count, in its incarnation — so that a merge reads only what came after it
 * (`SyncQueue.entriesSince`), or every entry once after a restamp (the same seq, a new delta) or
 * once the outbox is another (the database deleted and created again under this tab).
 */
export class OutboxMerge {
  readonly #deps: OutboxMergeDeps;
  #mark: OutboxMark = OUTBOX_START;
  readonly #merges = new SerialRun(() => this.#sinceMark());

  constructor(deps: OutboxMergeDeps) {
    this.#deps = deps;
  }

  /** The client read the whole outbox up to `mark` (at `open`). */
  opened(mark: OutboxMark): void {
    this.#mark = mark;
  }

  /**
   * The client queued its own write at `seq`. Right after what it merged, its own entry is the
   * only one it has not, so the mark moves on; behind a gap (another tab queued in between) it
   * stays, and the next merge reads the gap.
   */
  wrote(seq: number): void {
    if (seq === this.#mark.seq + 1) this.#mark = { ...this.#mark, seq };
  }

  /**
   * Merges what the outbox gained since the mark; the HLC absorbs each merged stamp (writes follow
   * reads, ADR-013) and `onApplied` hears of the deltas that changed the replica (source
   * `outbox`). Resolves to how many did. Merges run one at a time; calls made while one runs share
   * the next, which starts after them, so it still sees everything queued before each call.
   */
  merge(): Promise<Result<number, LakeSyncError>> {
    if (this.#deps.isClosed()) return Promise.resolve(Err(new SchemaError('client is closed')));
    return this.#merges.run();
  }

  async #sinceMark(): Promise<Result<number, LakeSyncError>> {
    const { queue, replica, hlc, isClosed, onApplied } = this.#deps;
    if (isClosed()) return Err(new SchemaError('client is closed'));
    const read = await queue.entriesSince(this.#mark);
    if (!read.ok) return read;
    if (isClosed()) return Err(new SchemaError('client is closed'));
    const merged: RowDelta[] = [];
    for (const entry of read.value.entries) {
      if (!replica.merge(entry.delta)) continue;
      hlc.observe(entry.delta.hlc);
      merged.push(entry.delta);
    }
    // Only after merging: a failure above leaves the mark where it was, to be read again. An own
    // write may have moved the mark past a partial read meanwhile (`wrote`), so then it never goes
    // back. After a complete read (a restamp, or a mark from another incarnation of the outbox,
    // whose seqs count nothing in this one) the read's mark replaces it: at worst the own write is
    // read again, which changes nothing.
    const next = read.value.mark;
    const partial = !read.value.complete && next.incarnation === this.#mark.incarnation;
    this.#mark = partial ? { ...next, seq: Math.max(next.seq, this.#mark.seq) } : next;
    if (merged.length > 0) {
      onApplied?.({ source: 'outbox', deltas: merged, gatewayEpoch: HLC.ZERO, replica });
    }
    return Ok(merged.length);
  }
}
