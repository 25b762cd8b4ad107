import type { RowDelta } from '../../src/delta/types';
import { describeDelta } from '../oracles/describe';
import type { IssuedWrite } from '../oracles/durability';
import { MonotonicityWatch } from '../oracles/monotonicity';
import { ReferenceModel } from '../oracles/reference-model';

/** Counters of write outcomes, for the summary. */
export interface WriteCounters {
  /** Writes that returned a delta (acknowledged). */
  acknowledged: number;
  /** Writes that changed nothing (an update to equal values, a delete of an invisible row). */
  noops: number;
  /** Writes the client refused with an `Err`, by error code. */
  refused: Record<string, number>;
  /** Writes not attempted because the client was down (restarting). */
  skipped: number;
}

/**
 * The simulator's own record of every write it issued: the acknowledged deltas (for the
 * durability oracle), the reference model folded from them (model agreement), and the
 * per-client HLC order (monotonicity).
 */
export class WriteLedger {
  readonly issued = new Map<string, IssuedWrite>();
  readonly model = new ReferenceModel();
  readonly monotonicity = new MonotonicityWatch();
  readonly counters: WriteCounters = { acknowledged: 0, noops: 0, refused: {}, skipped: 0 };

  /**
   * Records an acknowledged write; returns a monotonicity or identity violation message, or null.
   * A second write with the same `deltaId` would mean two different writes hashed alike.
   */
  acknowledged(client: number, delta: RowDelta, atMs: number): string | null {
    this.counters.acknowledged++;
    const previous = this.issued.get(delta.deltaId);
    this.issued.set(delta.deltaId, { delta, atMs });
    this.model.apply(delta);
    const order = this.monotonicity.write(client, delta.hlc, () => describeDelta(delta));
    if (order !== null) return order;
    if (previous !== undefined) {
      return `client-${client} wrote ${describeDelta(delta)}, whose deltaId was already used by ${describeDelta(previous.delta)}`;
    }
    return null;
  }

  /** Counts a write that changed nothing. */
  noop(): void {
    this.counters.noops++;
  }

  /** Counts a write the client refused. */
  refused(code: string): void {
    this.counters.refused[code] = (this.counters.refused[code] ?? 0) + 1;
  }

  /** Counts a write skipped because its client was down. */
  skipped(): void {
    this.counters.skipped++;
  }
}
