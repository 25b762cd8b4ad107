import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { assert } from '../result/assert';

/** One accepted delta as the gateway logged it. */
export interface LogEntry {
  /** The gateway's HLC when it accepted the delta; strictly increasing along the log. */
  readonly ingestHlc: HLCTimestamp;
  /** The original delta, exactly as the client sent it. */
  readonly delta: RowDelta;
  /** Estimated memory and envelope cost, for the byte limits. */
  readonly bytes: number;
}

/** One page of a pull: the deltas, the ingest cursor after them, and whether more follow. */
export interface LogPage {
  readonly deltas: RowDelta[];
  readonly cursor: HLCTimestamp;
  readonly hasMore: boolean;
}

/**
 * The gateway's append-only log in ingest order, split into a flushed prefix and an unflushed
 * tail, with the oldest flushed entries trimmed past a retention bound. Positions are absolute
 * (they count every entry ever appended), so trimming never renumbers anything.
 *
 * Stored as parallel columns (deltas in an array, ingest HLCs in a `BigUint64Array`, byte
 * estimates in a `Float64Array`), so an entry costs the collector no object of its own: a log of a
 * million entries holds a million fewer objects, which keeps appends into a large log as cheap as
 * into an empty one. `LogEntry` objects are made only for what a read returns.
 *
 * ```
 *   trimmed (gone) │ flushed, retained │ unflushed
 *   ───────────────┼───────────────────┼──────────────▶ append
 *                  floorHlc            flushedCount
 * ```
 */
export class DeltaLog {
  #deltas: RowDelta[] = [];
  #ingest = new BigUint64Array(INITIAL_CAPACITY);
  #bytes = new Float64Array(INITIAL_CAPACITY);
  /** Absolute position of index `#head`. */
  #base = 0;
  #head = 0;
  #flushedCount = 0;
  #unflushedBytes = 0;
  /** The newest ingest HLC appended (kept as a field: reading the typed column allocates). */
  #lastIngest: HLCTimestamp | null = null;
  /** Every entry with an ingest HLC at or below this has been trimmed (or predates this instance). */
  #floorHlc: HLCTimestamp;

  constructor(floorHlc: HLCTimestamp) {
    this.#floorHlc = floorHlc;
  }

  /** Appends an entry; its ingest HLC must exceed every earlier one. */
  append(entry: LogEntry): void {
    this.appendParts(entry.delta, entry.ingestHlc, entry.bytes);
  }

  /** `append` without an entry object. */
  appendParts(delta: RowDelta, ingestHlc: HLCTimestamp, bytes: number): void {
    const index = this.#deltas.length;
    assert(ingestHlc > this.lastIngestHlc(), 'ingest HLCs strictly increase along the log');
    if (index === this.#ingest.length) this.#grow();
    this.#lastIngest = ingestHlc;
    this.#deltas.push(delta);
    this.#ingest[index] = ingestHlc;
    this.#bytes[index] = bytes;
    this.#unflushedBytes += bytes;
  }

  /** The newest ingest HLC in the log, or the floor when nothing is retained. */
  lastIngestHlc(): HLCTimestamp {
    return this.#deltas.length === this.#head || this.#lastIngest === null
      ? this.#floorHlc
      : this.#lastIngest;
  }

  /** Cursors below this cannot be served from the log: the entries after them are gone. */
  floorHlc(): HLCTimestamp {
    return this.#floorHlc;
  }

  /** Entries ever appended (absolute end position). */
  endPosition(): number {
    return this.#base + this.#deltas.length - this.#head;
  }

  get unflushedBytes(): number {
    return this.#unflushedBytes;
  }

  get unflushedCount(): number {
    return this.endPosition() - this.#flushedCount;
  }

  get retainedCount(): number {
    return this.#deltas.length - this.#head;
  }

  /** The oldest `max` unflushed entries (a copy), for the next envelope. */
  unflushed(max: number): LogEntry[] {
    const start = this.#head + (this.#flushedCount - this.#base);
    return this.#entries(start, Math.min(this.#deltas.length, start + max));
  }

  /** Marks the oldest `count` unflushed entries as flushed, then trims past `retainMax`. */
  markFlushed(count: number, retainMax: number): void {
    assert(count <= this.unflushedCount, 'cannot flush more than is unflushed');
    const start = this.#head + (this.#flushedCount - this.#base);
    for (let i = start; i < start + count; i++) this.#unflushedBytes -= this.#bytes[i]!;
    this.#flushedCount += count;
    this.#trim(retainMax);
  }

  /**
   * Deltas with an ingest HLC above `cursor`, at most `limit`, with the ingest HLC of the last
   * one (`cursor` itself when there are none); `null` when the cursor is below the floor (entries
   * after it were trimmed, so the caller must answer with a snapshot).
   */
  since(cursor: HLCTimestamp, limit: number): LogPage | null {
    if (cursor < this.#floorHlc) return null;
    let low = this.#head;
    let high = this.#deltas.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#ingest[mid]! <= cursor) low = mid + 1;
      else high = mid;
    }
    const end = Math.min(this.#deltas.length, low + limit);
    return {
      deltas: this.#deltas.slice(low, end),
      cursor: end > low ? (this.#ingest[end - 1]! as HLCTimestamp) : cursor,
      hasMore: end < this.#deltas.length,
    };
  }

  /** Retained entries in ingest order (a copy), for inspection. */
  retained(): LogEntry[] {
    return this.#entries(this.#head, this.#deltas.length);
  }

  #entries(start: number, end: number): LogEntry[] {
    const entries: LogEntry[] = new Array(Math.max(0, end - start));
    for (let index = start; index < end; index++) {
      entries[index - start] = {
        ingestHlc: this.#ingest[index]! as HLCTimestamp,
        delta: this.#deltas[index]!,
        bytes: this.#bytes[index]!,
      };
    }
    return entries;
  }

  /** Doubles the typed columns (amortised O(1) per append, like the array's own growth). */
  #grow(): void {
    const capacity = this.#ingest.length * 2;
    const ingest = new BigUint64Array(capacity);
    ingest.set(this.#ingest);
    this.#ingest = ingest;
    const bytes = new Float64Array(capacity);
    bytes.set(this.#bytes);
    this.#bytes = bytes;
  }

  #trim(retainMax: number): void {
    const flushedRetained = this.#flushedCount - this.#base;
    const excess = flushedRetained - retainMax;
    if (excess <= 0) return;
    const newHead = this.#head + excess;
    this.#floorHlc = this.#ingest[newHead - 1]! as HLCTimestamp;
    this.#head = newHead;
    this.#base += excess;
    // Compact once the dead prefix dominates, so trimming is amortised O(1) per entry.
    if (this.#head > 1024 && this.#head * 2 > this.#deltas.length) {
      const length = this.#deltas.length;
      this.#deltas = this.#deltas.slice(this.#head);
      this.#ingest.copyWithin(0, this.#head, length);
      this.#bytes.copyWithin(0, this.#head, length);
      this.#head = 0;
    }
  }
}

/** Entries the typed columns hold before they first grow. */
const INITIAL_CAPACITY = 1_024;
