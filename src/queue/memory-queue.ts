import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { assert } from '../result/assert';
import { type LakeSyncError, QueueError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import {
  checkDeltaShape,
  checkHlc,
  checkIds,
  checkLimit,
  checkMark,
  checkRestampOptions,
  checkRestamps,
  entrySnapshot,
  frozenDeltaCopy,
  markReadsAll,
  resolveQueueOptions,
} from './outbox-entry';
import { checkCheckpoint, type QueueCheckpoint } from './queue-checkpoint';
import { SeqList } from './seq-list';
import type {
  ClaimedBatch,
  OutboxChanges,
  OutboxMark,
  QueueEntry,
  QueueEntryStatus,
  QueueOptions,
  Restamp,
  RestampOptions,
  SyncQueue,
} from './types';

/** One entry as the queue holds it: mutable inside, handed out only as a frozen snapshot. */
interface Slot {
  readonly id: string;
  readonly delta: RowDelta;
  readonly seq: number;
  status: QueueEntryStatus;
  retryCount: number;
  /** The frozen snapshot of the current state, built on first read after a change. */
  snapshot: QueueEntry | null;
}

/** The base of a batch that starts the outbox: below every HLC. */
const NO_BASE = 0n as HLCTimestamp;

function isPending(slot: Slot): boolean {
  return slot.status === 'pending';
}

/** Held entries at or below `durableHlc` are in the lake. (Predicates take the bound: no closures.) */
function isDurable(slot: Slot, durableHlc: HLCTimestamp): boolean {
  return slot.delta.hlc <= durableHlc;
}

/** Accepted entries above `acceptedHlc` are ones the gateway no longer holds. */
function isLost(slot: Slot, acceptedHlc: HLCTimestamp): boolean {
  return slot.delta.hlc > acceptedHlc;
}

/**
 * The outbox in memory: the simulator's durable outbox (hand the same object to a restarted
 * client) and the one for tests and Node. Implements the `SyncQueue` contract exactly; see the
 * lifecycle diagram on `QueueEntryStatus`.
 *
 * Guarantees:
 * - every method resolves to a `Result` and never rejects; each runs to completion without
 *   yielding, so concurrent callers see each call as atomic (`claim` and `markSending` can never
 *   hand one pending entry to two callers);
 * - pushed deltas are deep-copied and frozen, and entries come back as frozen snapshots, so no
 *   caller can change what the queue holds except through its methods;
 * - `peek` and `claim` cost O(limit), however many sending or accepted entries sit in front;
 *   `removeDurable` and `reopen` cost O(entries they touch) while the queued HLCs rise in push
 *   order (the normal case for one client), and one pass over the queue otherwise;
 * - the queue does not remember removed ids: pushing a delta again after `removeDurable` or
 *   `clear` queues it again.
 */
export class MemoryQueue implements SyncQueue {
  readonly #options: QueueOptions;
  readonly #byId = new Map<string, Slot>();
  /** Every entry, in push order. */
  readonly #all = new SeqList<Slot>();
  /** The pending entries, in push order. */
  readonly #pending = new SeqList<Slot>();
  /** The accepted entries, in push order. */
  readonly #accepted = new SeqList<Slot>();
  #nextSeq = 1;
  #lastHlc: HLCTimestamp | null = null;
  /** Restamps that replaced a delta (see `entriesSince`): a reader's older mark reads everything. */
  #restamps = 0;
  /**
   * The `deltaId` of the delta pushed at seq 1 (`OutboxMark.incarnation`); `null` before, and for
   * good in a queue restored from a checkpoint (its seqs go on from the checkpoint's).
   */
  #incarnation: string | null = null;
  /** True while the held entries' HLCs never decrease in push order (enables prefix/suffix cuts). */
  #hlcAscending = true;

  /** An empty queue; throws (a programming error) when `options.entriesMax` is not a positive integer. */
  constructor(options?: Partial<QueueOptions>) {
    const resolved = resolveQueueOptions(options);
    if (!resolved.ok) {
      assert(
        false,
        `MemoryQueue: entriesMax must be a positive integer, got ${options?.entriesMax}`,
      );
    }
    this.#options = resolved.value;
  }

  /** The bound this queue enforces. */
  get options(): QueueOptions {
    return this.#options;
  }

  /**
   * An outbox restored from `checkpoint` (a restore from backup, ADR-021): exactly the entries,
   * statuses, retry counts, seq numbers and `lastHlc` it holds, whatever the original queue did
   * since. `QueueError` when it is not a checkpoint a queue with these options could have taken.
   */
  static restore(
    checkpoint: QueueCheckpoint,
    options?: Partial<QueueOptions>,
  ): Result<MemoryQueue, QueueError> {
    const resolved = resolveQueueOptions(options);
    if (!resolved.ok) return resolved;
    const checked = checkCheckpoint(checkpoint, resolved.value.entriesMax);
    if (!checked.ok) return checked;
    const slots: Slot[] = [];
    for (const entry of checkpoint.entries) {
      const copy = frozenDeltaCopy(entry.delta);
      if (!copy.ok) return copy;
      const { id, seq, status, retryCount } = entry;
      slots.push({ id, delta: copy.value, seq, status, retryCount, snapshot: null });
    }
    const queue = new MemoryQueue(resolved.value);
    queue.#load(slots, checkpoint);
    return Ok(queue);
  }

  /**
   * A copy of this outbox's durable state now — every entry with its status, the remembered
   * `lastHlc`, the next seq — as a backup of the device taken at this moment holds it. Synchronous,
   * so it is one instant between any two other calls; `MemoryQueue.restore` brings it back.
   */
  checkpoint(): QueueCheckpoint {
    return Object.freeze({
      entries: Object.freeze(this.#all.toArray().map((slot) => this.#snapshot(slot))),
      lastHlc: this.#lastHlc,
      nextSeq: this.#nextSeq,
    });
  }

  async push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>> {
    const shape = checkDeltaShape(delta);
    if (!shape.ok) return shape;
    const existing = this.#byId.get(delta.deltaId);
    if (existing !== undefined) return Ok(this.#snapshot(existing));
    if (this.#byId.size >= this.#options.entriesMax) {
      return Err(
        new QueueError(
          `outbox full: entriesMax (${this.#options.entriesMax}) entries are queued; sync to drain it`,
        ),
      );
    }
    const copy = frozenDeltaCopy(delta);
    if (!copy.ok) return copy;
    const slot: Slot = {
      id: delta.deltaId,
      delta: copy.value,
      seq: this.#nextSeq++,
      status: 'pending',
      retryCount: 0,
      snapshot: null,
    };
    if (slot.seq === 1) this.#incarnation = slot.id;
    const newest = this.#all.newest();
    if (newest !== undefined && slot.delta.hlc < newest.delta.hlc) this.#hlcAscending = false;
    this.#byId.set(slot.id, slot);
    this.#all.insert(slot);
    this.#pending.insert(slot);
    if (this.#lastHlc === null || slot.delta.hlc > this.#lastHlc) this.#lastHlc = slot.delta.hlc;
    return Ok(this.#snapshot(slot));
  }

  async peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    return Ok(this.#pending.first(checked.value).map((slot) => this.#snapshot(slot)));
  }

  async markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    const checked = checkIds(ids);
    if (!checked.ok) return checked;
    const slots: Slot[] = [];
    for (const id of checked.value) {
      const slot = this.#byId.get(id);
      if (slot === undefined || slot.status !== 'pending') {
        const state = slot === undefined ? 'not queued' : slot.status;
        return Err(new QueueError(`cannot mark ${id} sending: it is ${state}; nothing changed`));
      }
      slots.push(slot);
    }
    for (const slot of slots) {
      this.#pending.remove(slot);
      this.#setStatus(slot, 'sending');
    }
    return Ok(undefined);
  }

  async claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    const taken = this.#pending.shift(checked.value);
    for (const slot of taken) this.#setStatus(slot, 'sending');
    return Ok(taken.map((slot) => this.#snapshot(slot)));
  }

  async claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    const first = this.#pending.oldest();
    if (first === undefined || checked.value === 0) return Ok({ entries: [], baseHlc: NO_BASE });
    const { before, run } = this.#all.around(first, checked.value, isPending);
    for (const slot of run) {
      this.#pending.remove(slot);
      this.#setStatus(slot, 'sending');
    }
    const baseHlc = before === undefined ? NO_BASE : before.delta.hlc;
    return Ok({ entries: run.map((slot) => this.#snapshot(slot)), baseHlc });
  }

  async ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    const checked = checkIds(ids);
    if (!checked.ok) return checked;
    for (const slot of this.#slotsIn(checked.value, 'sending')) {
      this.#setStatus(slot, 'accepted');
      this.#accepted.insert(slot);
    }
    return Ok(undefined);
  }

  async nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    const checked = checkIds(ids);
    if (!checked.ok) return checked;
    for (const slot of this.#slotsIn(checked.value, 'sending')) {
      slot.retryCount++;
      this.#setStatus(slot, 'pending');
      this.#pending.insert(slot);
    }
    return Ok(undefined);
  }

  async reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    const checked = checkHlc(acceptedHlc, 'acceptedHlc');
    if (!checked.ok) return checked;
    const lost = this.#hlcAscending
      ? this.#accepted.popWhile(isLost, checked.value)
      : this.#accepted.removeWhere(isLost, checked.value);
    for (const slot of lost) {
      // It will be sent again: a retry, like a nack (so `retryCount` 0 means never sent).
      slot.retryCount++;
      this.#setStatus(slot, 'pending');
      this.#pending.insert(slot);
    }
    return Ok(lost.length);
  }

  async removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    const checked = checkHlc(durableHlc, 'durableHlc');
    if (!checked.ok) return checked;
    const bound = checked.value;
    if (this.#hlcAscending) {
      // Durable entries form a prefix of every list: each removal below is at a list's head.
      const removed = this.#all.shiftWhile(isDurable, bound);
      for (const slot of removed) {
        this.#byId.delete(slot.id);
        if (slot.status === 'pending') this.#pending.remove(slot);
        if (slot.status === 'accepted') this.#accepted.remove(slot);
      }
      return Ok(removed.length);
    }
    const removed = this.#all.removeWhere(isDurable, bound);
    for (const slot of removed) this.#byId.delete(slot.id);
    this.#pending.removeWhere(isDurable, bound);
    this.#accepted.removeWhere(isDurable, bound);
    this.#hlcAscending = this.#heldHlcsAscend();
    return Ok(removed.length);
  }

  async restamp(
    replacements: readonly Restamp[],
    options?: RestampOptions,
  ): Promise<Result<number, LakeSyncError>> {
    const checked = checkRestamps(replacements);
    if (!checked.ok) return checked;
    const extra = checkRestampOptions(options, checked.value);
    if (!extra.ok) return extra;
    const old: Slot[] = [];
    for (const { id } of checked.value) {
      const slot = this.#byId.get(id);
      if (slot === undefined || slot.status === 'sending') {
        const state = slot === undefined ? 'not queued' : 'sending';
        return Err(new QueueError(`cannot restamp ${id}: it is ${state}; nothing changed`));
      }
      old.push(slot);
    }
    const held: Slot[] = [];
    for (const id of extra.value.held) {
      const slot = this.#byId.get(id);
      if (slot === undefined || slot.status === 'sending') {
        const state = slot === undefined ? 'not queued' : 'sending';
        return Err(
          new QueueError(`cannot hold ${id} as accepted: it is ${state}; nothing changed`),
        );
      }
      held.push(slot);
    }
    const replaced = new Set(checked.value.map(({ id }) => id));
    for (const { delta } of checked.value) {
      if (this.#byId.has(delta.deltaId) && !replaced.has(delta.deltaId)) {
        return Err(new QueueError(`cannot restamp to ${delta.deltaId}: it is already queued`));
      }
    }
    for (const slot of held) {
      if (slot.status !== 'pending') continue;
      this.#pending.remove(slot);
      this.#setStatus(slot, 'accepted');
      this.#accepted.insert(slot);
    }
    for (const slot of old) {
      this.#byId.delete(slot.id);
      this.#all.remove(slot);
      if (slot.status === 'pending') this.#pending.remove(slot);
      else this.#accepted.remove(slot);
    }
    for (const [index, { delta }] of checked.value.entries()) {
      const previous = old[index] as Slot;
      const slot: Slot = {
        id: delta.deltaId,
        delta,
        seq: previous.seq,
        status: 'pending',
        retryCount: previous.retryCount,
        snapshot: null,
      };
      this.#byId.set(slot.id, slot);
      this.#all.insert(slot);
      this.#pending.insert(slot);
      if (this.#lastHlc === null || delta.hlc > this.#lastHlc) this.#lastHlc = delta.hlc;
    }
    const floor = extra.value.lastHlcMin;
    if (floor !== null && (this.#lastHlc === null || floor > this.#lastHlc)) this.#lastHlc = floor;
    if (old.length > 0) {
      this.#hlcAscending = this.#heldHlcsAscend();
      this.#restamps++;
    }
    return Ok(old.length);
  }

  async entries(): Promise<Result<QueueEntry[], LakeSyncError>> {
    return Ok(this.#all.toArray().map((slot) => this.#snapshot(slot)));
  }

  async entriesSince(since: OutboxMark): Promise<Result<OutboxChanges, LakeSyncError>> {
    const checked = checkMark(since);
    if (!checked.ok) return checked;
    // `#nextSeq - 1` covers removed entries too: every seq up to it has been handed out.
    const mark: OutboxMark = {
      seq: this.#nextSeq - 1,
      restamps: this.#restamps,
      incarnation: this.#incarnation,
    };
    const complete = markReadsAll(checked.value, mark);
    const slots = complete ? this.#all.toArray() : this.#all.after(checked.value.seq);
    return Ok({ entries: slots.map((slot) => this.#snapshot(slot)), complete, mark });
  }

  async depth(): Promise<Result<number, LakeSyncError>> {
    return Ok(this.#byId.size);
  }

  async lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>> {
    return Ok(this.#lastHlc);
  }

  async clear(): Promise<Result<void, LakeSyncError>> {
    this.#byId.clear();
    this.#all.clear();
    this.#pending.clear();
    this.#accepted.clear();
    this.#hlcAscending = true;
    return Ok(undefined);
  }

  /** Fills an empty queue with checked slots in push order (see `restore`). */
  #load(slots: readonly Slot[], checkpoint: QueueCheckpoint): void {
    for (const slot of slots) {
      this.#byId.set(slot.id, slot);
      this.#all.insert(slot);
      if (slot.status === 'pending') this.#pending.insert(slot);
      if (slot.status === 'accepted') this.#accepted.insert(slot);
    }
    this.#lastHlc = checkpoint.lastHlc;
    this.#nextSeq = checkpoint.nextSeq;
    this.#hlcAscending = this.#heldHlcsAscend();
  }

  /** The held slots among `ids` that are in `status`; other and unknown ids are skipped. */
  #slotsIn(ids: readonly string[], status: QueueEntryStatus): Slot[] {
    const slots: Slot[] = [];
    for (const id of ids) {
      const slot = this.#byId.get(id);
      if (slot !== undefined && slot.status === status) slots.push(slot);
    }
    return slots;
  }

  #setStatus(slot: Slot, status: QueueEntryStatus): void {
    slot.status = status;
    slot.snapshot = null;
  }

  #snapshot(slot: Slot): QueueEntry {
    if (slot.snapshot === null) slot.snapshot = entrySnapshot(slot);
    return slot.snapshot;
  }

  #heldHlcsAscend(): boolean {
    let previous: HLCTimestamp | null = null;
    for (const slot of this.#all) {
      if (previous !== null && slot.delta.hlc < previous) return false;
      previous = slot.delta.hlc;
    }
    return true;
  }
}
