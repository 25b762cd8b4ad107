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
import { type LakeSyncError, QueueError } from '../../src/result/errors';
import { Err, type Result } from '../../src/result/result';
import type { Prng } from '../engine/prng';
import type { Scheduler } from '../engine/scheduler';
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
  readonly scheduler: Scheduler;
  /**
   * Longest time a call takes (`FaultRates.outboxLatencyMsMax`), drawn uniformly per call; 0: every
   * call completes at once, as `MemoryQueue` does. Latency applies in every phase.
   */
  readonly latencyMsMax: number;
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
  /** When the last call issued takes effect: calls take effect in the order they were made. */
  #busyUntilMs = 0;
  /** Calls scheduled and not yet taken effect: while any is, a new call waits its turn. */
  #waiting = 0;
  /** Bumped by `abandon`: a call issued before it never takes effect nor answers. */
  #generation = 0;

  constructor(inner: SyncQueue, deps: FaultyOutboxDeps) {
    this.#inner = inner;
    this.#deps = deps;
  }

  /**
   * The process died: calls still in flight never take effect and never answer, as a page killed
   * mid-transaction leaves IndexedDB as it was before the transaction.
   */
  abandon(): void {
    this.#generation++;
    this.#waiting = 0;
    this.#busyUntilMs = 0;
  }

  push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>> {
    return this.#call('push', () => this.#inner.push(delta));
  }

  peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#call('peek', () => this.#inner.peek(limit));
  }

  markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#call('markSending', () => this.#inner.markSending(ids));
  }

  claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#call('claim', () => this.#inner.claim(limit));
  }

  claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>> {
    return this.#call('claimBatch', () => this.#inner.claimBatch(limit));
  }

  ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#call('ack', () => this.#inner.ack(ids));
  }

  nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#call('nack', () => this.#inner.nack(ids));
  }

  reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    return this.#call('reopen', () => this.#inner.reopen(acceptedHlc));
  }

  removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    return this.#call('removeDurable', () => this.#inner.removeDurable(durableHlc));
  }

  entries(): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#call('entries', () => this.#inner.entries());
  }

  entriesSince(since: OutboxMark): Promise<Result<OutboxChanges, LakeSyncError>> {
    return this.#call('entriesSince', () => this.#inner.entriesSince(since));
  }

  depth(): Promise<Result<number, LakeSyncError>> {
    return this.#call('depth', () => this.#inner.depth());
  }

  lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>> {
    return this.#call('lastHlc', () => this.#inner.lastHlc());
  }

  restamp(
    replacements: readonly Restamp[],
    options?: RestampOptions,
  ): Promise<Result<number, LakeSyncError>> {
    return this.#call('restamp', () => this.#inner.restamp(replacements, options));
  }

  clear(): Promise<Result<void, LakeSyncError>> {
    return this.#call('clear', () => this.#inner.clear());
  }

  /**
   * Runs one call: drawn to fail (no effect, a `QueueError`) or not, then completed after its drawn
   * latency, and never before the calls made earlier (an outbox's transactions complete in the
   * order they were made, as IndexedDB's read-write transactions on one store do).
   */
  #call<T>(
    call: string,
    run: () => Promise<Result<T, LakeSyncError>>,
  ): Promise<Result<T, LakeSyncError>> {
    const { prng, failProbability, faultsApply, lane, onFault, scheduler, latencyMsMax } =
      this.#deps;
    const fails = failProbability > 0 && (faultsApply?.() ?? true) && prng.chance(failProbability);
    const outcome = (): Promise<Result<T, LakeSyncError>> => {
      if (!fails) return run();
      onFault('outbox-fail', lane, call);
      const message = `outbox storage failed during ${call} (injected); nothing changed`;
      return Promise.resolve(Err(withoutStack(() => new QueueError(message))));
    };
    const nowMs = scheduler.nowMs;
    const latencyMs = latencyMsMax > 0 ? prng.between(0, latencyMsMax) : 0;
    if (latencyMs === 0 && this.#waiting === 0) return outcome();
    // Events at one instant run in the order they were scheduled, so equal times keep call order.
    const atMs = Math.max(nowMs, this.#busyUntilMs) + latencyMs;
    this.#busyUntilMs = atMs;
    this.#waiting++;
    const generation = this.#generation;
    return new Promise((resolve) => {
      scheduler.at(atMs, () => {
        if (generation !== this.#generation) return;
        this.#waiting--;
        void outcome().then(resolve);
      });
    });
  }
}
