import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { assert } from '../result/assert';

/**
 * One acknowledged push whose `deltaId`s are not verified yet: its fresh deltas (already
 * deduplicated, shape-checked and stamped with their ingest HLCs) and the pushing client's
 * accepted watermark just before it, to roll back to if a forged id is found.
 */
export interface PendingPush {
  readonly clientId: string;
  readonly deltas: readonly RowDelta[];
  readonly ingestHlcs: readonly HLCTimestamp[];
  readonly sizes: readonly number[];
  readonly bytes: number;
  readonly acceptedBefore: HLCTimestamp;
}

/**
 * The quarantine between the acknowledgement of a push and its entry into the log and index
 * (ADR-016): pushes in acknowledgement order, so that draining them oldest first appends ingest
 * HLCs in increasing order. Bounded by the gateway's byte bound (`bytes` counts towards
 * backpressure) and by `PENDING_PUSHES_MAX`.
 */
export class PendingPushes {
  #pushes: PendingPush[] = [];
  #bytes = 0;
  #deltas = 0;

  /** Estimated bytes of every pending delta. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Pending deltas. */
  get deltaCount(): number {
    return this.#deltas;
  }

  get size(): number {
    return this.#pushes.length;
  }

  add(push: PendingPush): void {
    assert(push.deltas.length > 0, 'a pending push holds at least one fresh delta');
    this.#pushes.push(push);
    this.#bytes += push.bytes;
    this.#deltas += push.deltas.length;
  }

  /** Removes and returns every pending push, oldest first. */
  drain(): PendingPush[] {
    const drained = this.#pushes;
    this.#pushes = [];
    this.#bytes = 0;
    this.#deltas = 0;
    return drained;
  }
}

/** Most pushes held unverified; the gateway verifies the queue as soon as it reaches this. */
export const PENDING_PUSHES_MAX = 1_024;

/**
 * Refusals found while verifying, kept until the client's next request so that it learns why
 * its push was dropped. One per client (the first), at most `REFUSALS_MAX` clients.
 */
export class RefusalNotes {
  readonly #notes = new Map<string, string>();

  note(clientId: string, message: string): void {
    if (this.#notes.has(clientId)) return;
    if (this.#notes.size >= REFUSALS_MAX) {
      const oldest = this.#notes.keys().next();
      if (!oldest.done) this.#notes.delete(oldest.value);
    }
    this.#notes.set(clientId, message);
  }

  /** The refusal noted for the client, removed; `null` when none. */
  take(clientId: string): string | null {
    if (this.#notes.size === 0) return null;
    const message = this.#notes.get(clientId);
    if (message === undefined) return null;
    this.#notes.delete(clientId);
    return message;
  }
}

/** Most clients with an undelivered refusal note. */
export const REFUSALS_MAX = 1_024;
