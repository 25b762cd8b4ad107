import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';

/**
 * The messages of the wire protocol as the core sees them (branded HLCs, core `RowDelta`s).
 * `codec.ts` maps them to and from the generated protobuf classes; nothing else touches those.
 * Field numbers and compatibility rules: `lakesync.proto` and ADR-008.
 */

/** A client's batch of its own deltas, oldest first. */
export interface SyncPush {
  readonly clientId: string;
  /** The client's deltas in strictly increasing HLC order; every `delta.clientId === clientId`. */
  readonly deltas: readonly RowDelta[];
  /** The newest server HLC the client has seen (informational). */
  readonly lastSeenHlc: HLCTimestamp;
  /**
   * The HLC of the client's own delta just before `deltas[0]` that it believes the gateway holds,
   * or 0 when every earlier delta is durable. The gateway refuses the batch with `SEQUENCE_GAP`
   * when it holds less than that (it restarted and lost unflushed deltas).
   */
  readonly baseHlc: HLCTimestamp;
}

/** A request for change events after an ingest cursor. */
export interface SyncPull {
  readonly clientId: string;
  /** Ingest cursor: the `cursor` of the previous response, or 0 for everything. */
  readonly sinceHlc: HLCTimestamp;
  /** Most deltas wanted in one page (the gateway may cap it lower). */
  readonly maxDeltas: number;
  /** The `gatewayEpoch` the cursor came from, or 0; a cursor from another epoch gets a snapshot. */
  readonly gatewayEpoch: HLCTimestamp;
  /**
   * Continues a paginated snapshot from this row position (the previous response's
   * `snapshotNext`), with `sinceHlc` set to that response's cursor; 0 when not continuing one.
   */
  readonly snapshotOffset: number;
}

/** Why the gateway refused a request; `code` is a `LakeSyncError` code. */
export interface ErrorReply {
  readonly code: string;
  readonly message: string;
}

/** The gateway's answer to a push or a pull. */
export interface SyncResponse {
  /** Change events (pull) in ingest order, or a snapshot of current state when `snapshot`. */
  readonly deltas: readonly RowDelta[];
  /** The gateway's HLC when it answered; the client `recv`s it. */
  readonly serverHlc: HLCTimestamp;
  /** More events are waiting after `cursor`. */
  readonly hasMore: boolean;
  /** Ingest cursor to send as the next `sinceHlc`. */
  readonly cursor: HLCTimestamp;
  /** Every delta ingested at or below this ingest HLC is in the lake. */
  readonly durableHlc: HLCTimestamp;
  readonly gatewayId: string;
  /** Identifies this gateway instance (its HLC at start); changes on every restart. */
  readonly gatewayEpoch: HLCTimestamp;
  /** The asking client's highest delta HLC the gateway holds (all earlier ones too). */
  readonly clientAcceptedHlc: HLCTimestamp;
  /** The asking client's highest delta HLC that is in the lake (all earlier ones too). */
  readonly clientDurableHlc: HLCTimestamp;
  /** `deltas` is a snapshot of the gateway's state, not change events. */
  readonly snapshot: boolean;
  /** Set when the request was refused; then nothing from it was applied. */
  readonly error: ErrorReply | null;
  /** With `snapshot` and `hasMore`: the row position to send back as `snapshotOffset`. */
  readonly snapshotNext: number;
}
