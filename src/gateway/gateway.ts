import { validateKeyPart } from '../adapter/object-key';
import type { LakeAdapter } from '../adapter/types';
import type { RowState } from '../conflict/types';
import type { RowDelta, RowKey } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { Clock } from '../ports/clock';
import type { Timers } from '../ports/timers';
import type { SyncPull, SyncPush, SyncResponse } from '../proto/types';
import {
  BackpressureError,
  type FlushError,
  LakeSyncError,
  SchemaError,
  SequenceGapError,
} from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { type DeltaBuffer, estimateDeltaBytes } from './delta-buffer';
import type { LogEntry } from './delta-log';
import { FlushCycle, type FlushOutcome } from './flush-cycle';
import { type GatewayOptions, resolveGatewayOptions } from './options';
import { validatePush } from './push-validation';
import { recoverFromLake } from './recovery';
import { SnapshotCache } from './snapshot-cache';

/** What a gateway is built from. Every outside effect comes in through these ports. */
export interface GatewayDeps {
  /** Names this gateway's objects in the lake; no '/', '..' or control characters. */
  readonly gatewayId: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly adapter: LakeAdapter;
  readonly options?: Partial<GatewayOptions>;
}

/** Counters and sizes for tests, the simulator and operators. */
export interface GatewayStats {
  readonly logLength: number;
  readonly indexSize: number;
  readonly unflushedDeltas: number;
  readonly unflushedBytes: number;
  readonly durableHlc: HLCTimestamp;
  readonly flushesOk: number;
  readonly flushesFailed: number;
  readonly envelopesWritten: number;
  readonly pushesRejected: number;
  /** Acknowledged pushes dropped before reaching the log because a `deltaId` was forged. */
  readonly forgedPushesDropped: number;
  readonly duplicatesIgnored: number;
  readonly snapshotsServed: number;
  readonly recoveredDeltas: number;
}

/**
 * Accepts pushes, resolves conflicts with the column-level LWW lattice, serves pulls by ingest
 * cursor and batches flushes to the lake. See DESIGN.md section 4 for the guarantees:
 * exact dedupe by per-client watermark, pulls that never skip late deltas, durability watermarks
 * in every response, recovery from the lake on start, bounded memory with backpressure.
 */
export class SyncGateway {
  readonly gatewayId: string;
  /** This instance's HLC at start: a cursor from any other epoch is answered with a snapshot. */
  readonly epoch: HLCTimestamp;
  readonly #clock: Clock;
  readonly #hlc: HLC;
  readonly #options: GatewayOptions;
  readonly #buffer: DeltaBuffer;
  readonly #flush: FlushCycle;
  readonly #recoveredDeltas: number;
  readonly #snapshots = new SnapshotCache();
  #pushesRejected = 0;
  #duplicatesIgnored = 0;
  #snapshotsServed = 0;
  #closed = false;
  /**
   * The highest reading of this gateway's own wall clock (ms), never pushed stamps: the drift
   * bound is measured from it, so a clock that jumps forward and back does not leave clients,
   * which absorbed the gateway's HLC meanwhile, refused for drift until the wall catches up.
   */
  #wallMsHigh: number;

  /** Raises `#wallMsHigh` to the wall clock now; called by every request before it stamps. */
  #noteWall(): void {
    const wallMs = this.#clock.now();
    if (wallMs > this.#wallMsHigh) this.#wallMsHigh = wallMs;
  }

  private constructor(
    deps: GatewayDeps,
    options: GatewayOptions,
    buffer: DeltaBuffer,
    recovered: { maxIngestHlc: HLCTimestamp; deltas: number },
  ) {
    this.gatewayId = deps.gatewayId;
    this.#clock = deps.clock;
    this.#options = options;
    this.#buffer = buffer;
    this.#recoveredDeltas = recovered.deltas;
    this.#hlc = new HLC(deps.clock, { maxDriftMs: options.maxDriftMs });
    this.#hlc.observe(recovered.maxIngestHlc);
    // A recovered ingest HLC is at most the previous instance's highest wall + the drift bound.
    const recoveredWallMs = HLC.decode(recovered.maxIngestHlc).wall - options.maxDriftMs;
    this.#wallMsHigh = Math.max(deps.clock.now(), recoveredWallMs);
    this.epoch = this.#hlc.now();
    this.#flush = new FlushCycle({
      gatewayId: deps.gatewayId,
      buffer,
      adapter: deps.adapter,
      clock: deps.clock,
      timers: deps.timers,
      options,
    });
  }

  /**
   * Starts a gateway: validates its id and options, then recovers the index and watermarks from
   * the envelopes it wrote to the lake. Fails (and serves nothing) if the lake cannot be read.
   */
  static async open(deps: GatewayDeps): Promise<Result<SyncGateway, LakeSyncError>> {
    const id = validateKeyPart('gatewayId', deps.gatewayId);
    if (!id.ok) return Err(new SchemaError(id.error.message));
    const options = resolveGatewayOptions(deps.options);
    if (!options.ok) return options;
    const recovered = await recoverFromLake(deps.adapter, deps.gatewayId);
    if (!recovered.ok) return recovered;
    return Ok(new SyncGateway(deps, options.value, recovered.value.buffer, recovered.value));
  }

  /**
   * Applies a client's batch: all of it or none of it. Deltas at or below the client's accepted
   * watermark are duplicates (acknowledged, not applied again); a batch that does not follow on
   * from what the gateway holds is refused with `SEQUENCE_GAP`. The batch's `deltaId`s are
   * verified after the acknowledgement, before anything reads the log, the index or the lake
   * (ADR-016): a batch with a forged id is then dropped, the client's watermark rolled back, and
   * its next request refused with `SCHEMA_MISMATCH` naming the delta.
   */
  handlePush(push: SyncPush): Result<SyncResponse, LakeSyncError> {
    const refused = this.#refuseIfClosed();
    if (refused !== null) return refused;
    this.#noteWall();
    const valid = validatePush(push, this.#wallMsHigh, this.#options);
    if (!valid.ok) return this.#reject(valid.error);
    const forged = this.#buffer.takeNotedRefusal(push.clientId);
    if (forged !== null) return this.#reject(new SchemaError(forged));
    const accepted = this.#buffer.clientAcceptedHlc(push.clientId);
    if (push.baseHlc > accepted) {
      return this.#reject(
        new SequenceGapError(
          `client ${push.clientId} pushed after ${push.baseHlc} but the gateway holds its deltas only up to ${accepted}; re-push from there`,
        ),
      );
    }
    // HLCs strictly increase within a push (`validatePush`), so the duplicates are a prefix.
    const deltas = valid.value;
    let first = 0;
    while (first < deltas.length && deltas[first]!.hlc <= accepted) first++;
    const fresh = deltas.slice(first);
    const freshSizes: number[] = new Array(fresh.length);
    let freshBytes = 0;
    for (let position = 0; position < fresh.length; position++) {
      const bytes = estimateDeltaBytes(fresh[position]!);
      freshSizes[position] = bytes;
      freshBytes += bytes;
    }
    this.#duplicatesIgnored += first;
    if (fresh.length > 0 && this.#buffer.byteSize + freshBytes > this.#options.bufferBytesMax) {
      void this.#flush.flush();
      return this.#reject(
        new BackpressureError(
          `gateway buffer holds ${this.#buffer.byteSize} unflushed bytes; ${freshBytes} more would pass bufferBytesMax ${this.#options.bufferBytesMax}`,
        ),
      );
    }
    const last = fresh[fresh.length - 1];
    if (last !== undefined) {
      this.#hlc.observe(last.hlc);
      const ingestHlcs: HLCTimestamp[] = new Array(fresh.length);
      for (let position = 0; position < fresh.length; position++) {
        ingestHlcs[position] = this.#hlc.now();
      }
      // The ids are verified before the deltas reach the log, the index or the lake (ADR-016).
      this.#buffer.admit({
        clientId: push.clientId,
        deltas: fresh,
        ingestHlcs,
        sizes: freshSizes,
        bytes: freshBytes,
        acceptedBefore: accepted,
      });
      this.#flush.onAppend();
    }
    return Ok(this.#response(push.clientId, [], HLC.ZERO, false, false));
  }

  /**
   * Returns change events after the pull's ingest cursor, oldest first, at most a page. A cursor
   * from another gateway epoch, or older than the retained log, is answered with a snapshot of the
   * current state, after which the returned cursor continues from the log.
   */
  handlePull(pull: SyncPull): Result<SyncResponse, LakeSyncError> {
    const refused = this.#refuseIfClosed();
    if (refused !== null) return refused;
    this.#noteWall();
    if (pull.clientId.length === 0)
      return this.#reject(new SchemaError('pull has an empty clientId'));
    const forged = this.#buffer.takeRefusal(pull.clientId);
    if (forged !== null) return this.#reject(new SchemaError(forged));
    const limit = Math.min(
      pull.maxDeltas > 0 ? pull.maxDeltas : this.#options.pullDeltasMax,
      this.#options.pullDeltasMax,
    );
    if (pull.snapshotOffset > 0 && pull.gatewayEpoch === this.epoch) {
      return Ok(this.#snapshot(pull.clientId, pull.snapshotOffset, pull.sinceHlc, limit));
    }
    const foreignCursor =
      pull.gatewayEpoch !== this.epoch &&
      (pull.sinceHlc !== HLC.ZERO || pull.gatewayEpoch !== HLC.ZERO);
    const page = foreignCursor ? null : this.#buffer.eventsSince(pull.sinceHlc, limit);
    if (page === null) {
      this.#snapshotsServed++;
      return Ok(this.#snapshot(pull.clientId, 0, this.#buffer.lastIngestHlc(), limit));
    }
    return Ok(this.#response(pull.clientId, page.deltas, page.cursor, page.hasMore, false));
  }

  /** Flushes the oldest unflushed batch now (the gateway also flushes by size and age itself). */
  flush(): Promise<Result<FlushOutcome, FlushError>> {
    return this.#flush.flush();
  }

  /** Stops the gateway's timers. Later requests are refused; an in-flight write's result is ignored. */
  close(): void {
    this.#closed = true;
    this.#flush.close();
  }

  /** A reply to a refused request: the error plus the client's watermarks, so it can recover. */
  errorResponse(clientId: string, error: LakeSyncError): SyncResponse {
    return {
      ...this.#response(clientId, [], HLC.ZERO, false, false),
      error: { code: error.code, message: error.message },
    };
  }

  /**
   * The watermarks every reply to `clientId` carries: the highest of its delta HLCs the gateway
   * holds, and the highest in the lake (ADR-011). For operators and the simulator; no side effect.
   */
  clientWatermarks(clientId: string): {
    readonly acceptedHlc: HLCTimestamp;
    readonly durableHlc: HLCTimestamp;
  } {
    return {
      acceptedHlc: this.#buffer.clientAcceptedHlc(clientId),
      durableHlc: this.#buffer.clientDurableHlc(clientId),
    };
  }

  /** The current row states (live view, do not mutate). */
  index(): ReadonlyMap<RowKey, RowState> {
    return this.#buffer.index();
  }

  /** The retained log in ingest order (a copy). */
  log(): readonly LogEntry[] {
    return this.#buffer.logEntries();
  }

  /** The latest timestamp the gateway's HLC issued or observed. */
  lastHlc(): HLCTimestamp {
    return this.#hlc.last();
  }

  stats(): GatewayStats {
    const buffer = this.#buffer;
    const counters = this.#flush.counters;
    // Field by field rather than spreading `counters`: the same object, built in the same key
    // order, without the spread's generic copy (the simulator asks once per pull).
    return {
      logLength: buffer.logSize,
      indexSize: buffer.indexSize,
      unflushedDeltas: buffer.unflushedCount,
      unflushedBytes: buffer.byteSize,
      durableHlc: buffer.durableIngestHlc(),
      flushesOk: counters.flushesOk,
      flushesFailed: counters.flushesFailed,
      envelopesWritten: counters.envelopesWritten,
      pushesRejected: this.#pushesRejected,
      forgedPushesDropped: buffer.forgedPushesDropped,
      duplicatesIgnored: this.#duplicatesIgnored,
      snapshotsServed: this.#snapshotsServed,
      recoveredDeltas: this.#recoveredDeltas,
    };
  }

  /**
   * One page of a snapshot: the rows from `offset` (first-appearance order) as deltas that rebuild
   * their lattice states, at least one row and then up to `limit` deltas. `cursor` is the log head
   * when the snapshot began, carried through every page by the client, so nothing that changed
   * meanwhile is skipped: it is either in a later page or in the log after that cursor.
   */
  #snapshot(clientId: string, offset: number, cursor: HLCTimestamp, limit: number): SyncResponse {
    const deltas: RowDelta[] = [];
    let position = offset;
    for (;;) {
      const state = this.#buffer.rowAt(position);
      if (state === undefined || (deltas.length >= limit && position > offset)) break;
      for (const delta of this.#snapshots.deltasOf(state)) deltas.push(delta);
      position++;
    }
    const hasMore = this.#buffer.rowAt(position) !== undefined;
    return this.#response(clientId, deltas, cursor, hasMore, true, hasMore ? position : 0);
  }

  #response(
    clientId: string,
    deltas: readonly RowDelta[],
    cursor: HLCTimestamp,
    hasMore: boolean,
    snapshot: boolean,
    snapshotNext = 0,
  ): SyncResponse {
    return {
      deltas,
      serverHlc: this.#hlc.now(),
      hasMore,
      cursor,
      durableHlc: this.#buffer.durableIngestHlc(),
      gatewayId: this.gatewayId,
      gatewayEpoch: this.epoch,
      clientAcceptedHlc: this.#buffer.clientAcceptedHlc(clientId),
      clientDurableHlc: this.#buffer.clientDurableHlc(clientId),
      snapshot,
      error: null,
      snapshotNext,
    };
  }

  #reject(error: LakeSyncError): Result<never, LakeSyncError> {
    this.#pushesRejected++;
    return Err(error);
  }

  #refuseIfClosed(): Result<never, LakeSyncError> | null {
    // A closed instance answers nothing; the client retries, reaching its successor.
    return this.#closed
      ? Err(new LakeSyncError('GATEWAY_CLOSED', `gateway ${this.gatewayId} is closed`))
      : null;
  }
}
