import type { RowDelta } from '../../src/delta/types';
import type { HLCTimestamp } from '../../src/hlc/types';
import type { ClaimedBatch, QueueEntry, Restamp, SyncQueue } from '../../src/queue/types';
import { type LakeSyncError, QueueError } from '../../src/result/errors';
import { Err, type Result } from '../../src/result/result';
import type { Prng } from '../engine/prng';
import type { FaultSink } from './fault-sink';
import { withoutStack } from './stackless';

/** What a faulty outbox needs from the world. */
export interface FaultyOutboxDeps {
  /** The client's own `outbox/client-<n>` stream: every per-call draw comes from here. */
  readonly prng: Prng;
  /** Per outbox call: fails without effect (`FaultRates.outboxFailProbability`). */
  readonly failProbability: number;
  readonly lane: string;
  readonly onFault: FaultSink;
  /** Whether drawn failures may happen now (the fault phase, a window focus); absent: always. */
  readonly faultsApply?: () => boolean;
}

/**
 * A client's durable outbox whose storage fails now and then, as IndexedDB does in a browser: a
 * transaction aborted by a full disk (`QuotaExceededError`), a storage eviction, a browser bug.
 * Each call fails with `failProbability`, atomically: nothing changes and the call resolves to a
 * `QueueError`, as an aborted IndexedDB transaction leaves the database as it was. What the client
 * must then keep (ADR-011): a write the app was told succeeded is never lost nor stuck, one it
 * was told failed appears nowhere. The oracles check both; nothing here decides what is right.
 */
export class FaultyOutbox implements SyncQueue {
  readonly #inner: SyncQueue;
  readonly #deps: FaultyOutboxDeps;

  constructor(inner: SyncQueue, deps: FaultyOutboxDeps) {
    this.#inner = inner;
    this.#deps = deps;
  }

  push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>> {
    return this.#fails('push') ?? this.#inner.push(delta);
  }

  peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#fails('peek') ?? this.#inner.peek(limit);
  }

  markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#fails('markSending') ?? this.#inner.markSending(ids);
  }

  claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#fails('claim') ?? this.#inner.claim(limit);
  }

  claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>> {
    return this.#fails('claimBatch') ?? this.#inner.claimBatch(limit);
  }

  ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#fails('ack') ?? this.#inner.ack(ids);
  }

  nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#fails('nack') ?? this.#inner.nack(ids);
  }

  reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    return this.#fails('reopen') ?? this.#inner.reopen(acceptedHlc);
  }

  removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    return this.#fails('removeDurable') ?? this.#inner.removeDurable(durableHlc);
  }

  entries(): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#fails('entries') ?? this.#inner.entries();
  }

  depth(): Promise<Result<number, LakeSyncError>> {
    return this.#fails('depth') ?? this.#inner.depth();
  }

  lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>> {
    return this.#fails('lastHlc') ?? this.#inner.lastHlc();
  }

  restamp(replacements: readonly Restamp[]): Promise<Result<number, LakeSyncError>> {
    return this.#fails('restamp') ?? this.#inner.restamp(replacements);
  }

  clear(): Promise<Result<void, LakeSyncError>> {
    return this.#fails('clear') ?? this.#inner.clear();
  }

  /** A failed call's result when this call is drawn to fail, else `null` (the call goes through). */
  #fails(call: string): Promise<Result<never, LakeSyncError>> | null {
    const { prng, failProbability, faultsApply, lane, onFault } = this.#deps;
    if (failProbability <= 0 || !(faultsApply?.() ?? true) || !prng.chance(failProbability)) {
      return null;
    }
    onFault('outbox-fail', lane, call);
    const message = `outbox storage failed during ${call} (injected); nothing changed`;
    return Promise.resolve(Err(withoutStack(() => new QueueError(message))));
  }
}
