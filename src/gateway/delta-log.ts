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

/**
 * The gateway's append-only log in ingest order, split into a flushed prefix and an unflushed
 * tail, with the oldest flushed entries trimmed past a retention bound. Positions are absolute
 * (they count every entry ever appended), so trimming never renumbers anything.
 *
 * ```
 *   trimmed (gone) │ flushed, retained │ unflushed
 *   ───────────────┼───────────────────┼──────────────▶ append
 *                  floorHlc            flushedCount
 * ```
 */
export class DeltaLog {
  #entries: LogEntry[] = [];
  /** Absolute position of `#entries[#head]`. */
  #base = 0;
  #head = 0;
  #flushedCount = 0;
  #unflushedBytes = 0;
  /** Every entry with an ingest HLC at or below this has been trimmed (or predates this instance). */
  #floorHlc: HLCTimestamp;

  constructor(floorHlc: HLCTimestamp) {
    this.#floorHlc = floorHlc;
  }

  /** Appends an entry; its ingest HLC must exceed every earlier one. */
  append(entry: LogEntry): void {
    const last = this.lastIngestHlc();
    assert(entry.ingestHlc > last, 'ingest HLCs strictly increase along the log');
    this.#entries.push(entry);
    this.#unflushedBytes += entry.bytes;
  }

  /** The newest ingest HLC in the log, or the floor when nothing is retained. */
  lastIngestHlc(): HLCTimestamp {
    const last = this.#entries[this.#entries.length - 1];
    return last === undefined || this.#entries.length === this.#head
      ? this.#floorHlc
      : last.ingestHlc;
  }

  /** Cursors below this cannot be served from the log: the entries after them are gone. */
  floorHlc(): HLCTimestamp {
    return this.#floorHlc;
  }

  /** Entries ever appended (absolute end position). */
  endPosition(): number {
    return this.#base + this.#entries.length - this.#head;
  }

  get unflushedBytes(): number {
    return this.#unflushedBytes;
  }

  get unflushedCount(): number {
    return this.endPosition() - this.#flushedCount;
  }

  get retainedCount(): number {
    return this.#entries.length - this.#head;
  }

  /** The oldest `max` unflushed entries (a copy), for the next envelope. */
  unflushed(max: number): LogEntry[] {
    const start = this.#head + (this.#flushedCount - this.#base);
    return this.#entries.slice(start, Math.min(this.#entries.length, start + max));
  }

  /** Marks the oldest `count` unflushed entries as flushed, then trims past `retainMax`. */
  markFlushed(count: number, retainMax: number): void {
    assert(count <= this.unflushedCount, 'cannot flush more than is unflushed');
    const start = this.#head + (this.#flushedCount - this.#base);
    for (let i = start; i < start + count; i++) this.#unflushedBytes -= this.#entries[i]!.bytes;
    this.#flushedCount += count;
    this.#trim(retainMax);
  }

  /**
   * Entries with an ingest HLC above `cursor`, at most `limit`; `null` when the cursor is below
   * the floor (entries after it were trimmed, so the caller must answer with a snapshot).
   */
  since(cursor: HLCTimestamp, limit: number): { entries: LogEntry[]; hasMore: boolean } | null {
    if (cursor < this.#floorHlc) return null;
    let low = this.#head;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.ingestHlc <= cursor) low = mid + 1;
      else high = mid;
    }
    const end = Math.min(this.#entries.length, low + limit);
    return { entries: this.#entries.slice(low, end), hasMore: end < this.#entries.length };
  }

  /** Retained entries in ingest order (a copy), for inspection. */
  retained(): LogEntry[] {
    return this.#entries.slice(this.#head);
  }

  #trim(retainMax: number): void {
    const flushedRetained = this.#flushedCount - this.#base;
    const excess = flushedRetained - retainMax;
    if (excess <= 0) return;
    this.#floorHlc = this.#entries[this.#head + excess - 1]!.ingestHlc;
    this.#head += excess;
    this.#base += excess;
    // Compact once the dead prefix dominates, so trimming is amortised O(1) per entry.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
