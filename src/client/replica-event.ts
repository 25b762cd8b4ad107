import type { RowState } from '../conflict/types';
import type { Row, RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';

/**
 * Where a batch of deltas merged into the replica came from: a local write, a pulled log page, a
 * snapshot page, the outbox merged when the client opened (`restore`), entries another client over
 * the same outbox queued since (`outbox`: a second tab's writes, seen before any round), or the
 * client's own queued writes stamped again above the gateway's watermark of a reused client id
 * (`restamp`, ADR-021; `replaced` then lists the deltas they replace).
 */
export type ReplicaSource = 'write' | 'pull' | 'snapshot' | 'restore' | 'outbox' | 'restamp';

/** One batch merged into the replica (see `ClientDeps.onApplied`). */
export interface ReplicaEvent {
  readonly source: ReplicaSource;
  readonly deltas: readonly RowDelta[];
  /** For a `restamp` batch: the deltas that `deltas` replace, index for index. */
  readonly replaced?: readonly RowDelta[];
  /** The epoch of the gateway that sent a pulled or snapshot batch; `HLC.ZERO` otherwise. */
  readonly gatewayEpoch: HLCTimestamp;
  /** The replica right after the merge (read only: do not merge into it from a listener). */
  readonly replica: ReplicaReader;
}

/** The reading half of a `Replica`. */
export interface ReplicaReader {
  get(table: string, rowId: string): Row | null;
  state(table: string, rowId: string): RowState | undefined;
}
