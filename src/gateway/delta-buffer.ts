import { createRowState, mergeDelta } from '../conflict/row-state';
import type { RowState } from '../conflict/types';
import { rowKey } from '../delta/row-key';
import type { RowDelta, RowKey } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import { DeltaLog, type LogEntry } from './delta-log';

/**
 * The gateway's memory: the log of original deltas (for pulls and flushes), the index of current
 * row states (for conflict resolution and snapshots), and per-client watermarks (for exact
 * dedupe and durability).
 *
 * - index: `Map<RowKey, RowState>`, one O(1) lattice merge per delta; it survives flushes.
 * - accepted watermark of a client: its highest delta HLC held here. A client pushes its own
 *   deltas oldest-first and the gateway refuses gaps, so the client's deltas held here are
 *   exactly those at or below the watermark: a delta at or below it is a duplicate.
 * - durable watermark of a client: its highest delta HLC that is in the lake.
 */
export class DeltaBuffer {
  readonly #log: DeltaLog;
  readonly #index = new Map<RowKey, RowState>();
  /** Row keys in the order rows first appeared: stable positions for paginated snapshots. */
  readonly #rowOrder: RowKey[] = [];
  readonly #accepted = new Map<string, HLCTimestamp>();
  readonly #durable = new Map<string, HLCTimestamp>();
  #durableIngestHlc: HLCTimestamp;

  /** `floorHlc`: the highest ingest HLC already in the lake when this buffer starts (0 if none). */
  constructor(floorHlc: HLCTimestamp = HLC.ZERO) {
    this.#log = new DeltaLog(floorHlc);
    this.#durableIngestHlc = floorHlc;
  }

  /** Logs an accepted delta, merges it into the index and raises its client's watermark. */
  append(delta: RowDelta, ingestHlc: HLCTimestamp, bytes: number): void {
    this.#log.append({ ingestHlc, delta, bytes });
    this.#mergeIntoIndex(delta);
    this.#accepted.set(delta.clientId, delta.hlc);
  }

  /**
   * Rebuilds state from a delta already in the lake (restart recovery): index and both
   * watermarks, but not the log.
   */
  restore(delta: RowDelta): void {
    this.#mergeIntoIndex(delta);
    const previous = this.#durable.get(delta.clientId);
    if (previous === undefined || delta.hlc > previous) {
      this.#durable.set(delta.clientId, delta.hlc);
      this.#accepted.set(delta.clientId, delta.hlc);
    }
  }

  /** The current state of a row, for conflict resolution. */
  getRow(key: RowKey): RowState | undefined {
    return this.#index.get(key);
  }

  /**
   * The row at `position` in first-appearance order (positions never change while this buffer
   * lives, and rows are never removed), or `undefined` past the end.
   */
  rowAt(position: number): RowState | undefined {
    const key = this.#rowOrder[position];
    return key === undefined ? undefined : this.#index.get(key);
  }

  /** The whole index (live view; do not mutate). */
  index(): ReadonlyMap<RowKey, RowState> {
    return this.#index;
  }

  /** Change events after an ingest cursor; `null` when the cursor is older than the retained log. */
  eventsSince(
    cursor: HLCTimestamp,
    limit: number,
  ): { entries: LogEntry[]; hasMore: boolean } | null {
    return this.#log.since(cursor, limit);
  }

  /** The oldest unflushed entries, at most `max`, for the next envelope. */
  unflushed(max: number): LogEntry[] {
    return this.#log.unflushed(max);
  }

  /** Records that the given oldest unflushed entries are now in the lake. */
  markFlushed(entries: readonly LogEntry[], retainMax: number): void {
    for (const entry of entries) this.#durable.set(entry.delta.clientId, entry.delta.hlc);
    const last = entries[entries.length - 1];
    if (last !== undefined) this.#durableIngestHlc = last.ingestHlc;
    this.#log.markFlushed(entries.length, retainMax);
  }

  /** The client's highest delta HLC held here (0 if none). */
  clientAcceptedHlc(clientId: string): HLCTimestamp {
    return this.#accepted.get(clientId) ?? HLC.ZERO;
  }

  /** The client's highest delta HLC in the lake (0 if none). */
  clientDurableHlc(clientId: string): HLCTimestamp {
    return this.#durable.get(clientId) ?? HLC.ZERO;
  }

  /** Every entry ingested at or below this is in the lake. */
  durableIngestHlc(): HLCTimestamp {
    return this.#durableIngestHlc;
  }

  lastIngestHlc(): HLCTimestamp {
    return this.#log.lastIngestHlc();
  }

  floorHlc(): HLCTimestamp {
    return this.#log.floorHlc();
  }

  /** Retained log entries in ingest order (a copy). */
  logEntries(): LogEntry[] {
    return this.#log.retained();
  }

  get logSize(): number {
    return this.#log.retainedCount;
  }

  get indexSize(): number {
    return this.#index.size;
  }

  /** Estimated bytes not yet in the lake. */
  get byteSize(): number {
    return this.#log.unflushedBytes;
  }

  get unflushedCount(): number {
    return this.#log.unflushedCount;
  }

  /** True when the unflushed tail has reached `maxBytes`. (Age is tracked by the flush timer.) */
  shouldFlush(config: { readonly maxBytes: number }): boolean {
    return this.#log.unflushedBytes >= config.maxBytes;
  }

  #mergeIntoIndex(delta: RowDelta): void {
    const key = rowKey(delta.table, delta.rowId);
    let state = this.#index.get(key);
    if (state === undefined) {
      state = createRowState(delta.table, delta.rowId);
      this.#index.set(key, state);
      this.#rowOrder.push(key);
    }
    mergeDelta(state, delta);
  }
}

/**
 * A cheap estimate of a delta's in-memory and serialised size, used for the byte bounds. It never
 * serialises primitive values; only nested objects are measured through JSON.
 */
export function estimateDeltaBytes(delta: RowDelta): number {
  let bytes =
    96 + delta.table.length + delta.rowId.length + delta.clientId.length + delta.deltaId.length;
  for (const column of delta.columns) {
    bytes += 24 + column.column.length + estimateValueBytes(column.value);
  }
  return bytes;
}

function estimateValueBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    default:
      return value === null ? 4 : JSON.stringify(value).length;
  }
}
