import { guardAdapter } from '../adapter/guarded-adapter';
import { envelopeKey } from '../adapter/object-key';
import type { LakeAdapter } from '../adapter/types';
import { HLC } from '../hlc/hlc';
import type { Clock } from '../ports/clock';
import type { TimerHandle, Timers } from '../ports/timers';
import { FlushError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { DeltaBuffer } from './delta-buffer';
import type { LogEntry } from './delta-log';
import { encodeEnvelope } from './envelope';
import type { GatewayOptions } from './options';

/** What one flush did. `key` is `null` when there was nothing to flush. */
export interface FlushOutcome {
  readonly key: string | null;
  readonly deltaCount: number;
}

/** Counters for stats and the simulator's report. */
export interface FlushCounters {
  flushesOk: number;
  flushesFailed: number;
  envelopesWritten: number;
}

/** A flush whose range and bytes are fixed until it lands. */
interface PinnedEnvelope {
  readonly entries: readonly LogEntry[];
  readonly key: string;
  readonly bytes: Uint8Array;
}

/**
 * Moves the buffer's unflushed tail to the lake in batches, never per push.
 *
 * ```
 *            append               size reached or age timer fires
 *   idle ───────────▶ armed ─────────────────────────────────────▶ writing
 *    ▲                  ▲                                         │   │
 *    │                  └────── ok, more left (re-arm) ────────────┘   │ failed
 *    └───────────────────────── ok, nothing left ─────────────────┘   ▼
 *                                  writing ◀── retry timer (doubling) ── backoff
 * ```
 *
 * A range is pinned with its key and bytes on its first attempt, and every retry writes exactly
 * those bytes to that key, so a write that landed but whose reply was lost is overwritten with
 * identical content rather than duplicated. Only one write is ever in flight. The adapter is
 * called through `guardAdapter`, so an adapter that throws or rejects instead of returning an
 * `Err` is one more failed write: counted, retried with backoff, never an unhandled rejection.
 */
export class FlushCycle {
  readonly counters: FlushCounters = { flushesOk: 0, flushesFailed: 0, envelopesWritten: 0 };
  readonly #deps: FlushDeps;
  readonly #adapter: LakeAdapter;
  #pinned: PinnedEnvelope | null = null;
  #inFlight: Promise<Result<FlushOutcome, FlushError>> | null = null;
  #timer: TimerHandle | null = null;
  #failures = 0;
  #closed = false;

  constructor(deps: FlushDeps) {
    this.#deps = deps;
    this.#adapter = guardAdapter(deps.adapter);
  }

  /** Called after every accepted push: flush now if over the size threshold, else arm the age timer. */
  onAppend(): void {
    if (this.#closed || this.#inFlight !== null || this.#failures > 0) return;
    const { buffer, options } = this.#deps;
    if (buffer.shouldFlush({ maxBytes: options.flushBytesThreshold })) this.#schedule(0);
    else if (this.#timer === null) this.#schedule(options.flushAgeMs);
  }

  /** True while the last attempt failed and a retry is pending. */
  get failing(): boolean {
    return this.#failures > 0;
  }

  /** Flushes the oldest unflushed batch now (joining an attempt already in flight). */
  flush(): Promise<Result<FlushOutcome, FlushError>> {
    if (this.#inFlight !== null) return this.#inFlight;
    this.#cancelTimer();
    const attempt = this.#attempt().finally(() => {
      this.#inFlight = null;
    });
    this.#inFlight = attempt;
    return attempt;
  }

  /** Stops all timers; results of a write still in flight are ignored. */
  close(): void {
    this.#closed = true;
    this.#cancelTimer();
  }

  async #attempt(): Promise<Result<FlushOutcome, FlushError>> {
    const pinned = this.#pinned !== null ? Ok(this.#pinned) : this.#pin();
    if (!pinned.ok) return pinned;
    if (pinned.value === null) return Ok({ key: null, deltaCount: 0 });
    const envelope = pinned.value;
    const written = await this.#adapter.putObject(envelope.key, envelope.bytes, 'application/json');
    if (this.#closed) return Err(new FlushError('gateway closed during flush'));
    if (!written.ok) {
      this.counters.flushesFailed++;
      this.#failures++;
      this.#schedule(this.#retryDelayMs());
      return Err(
        new FlushError(`flush of ${envelope.key} failed: ${written.error.message}`, written.error),
      );
    }
    this.#pinned = null;
    this.#failures = 0;
    this.counters.flushesOk++;
    this.counters.envelopesWritten++;
    this.#deps.buffer.markFlushed(envelope.entries, this.#deps.options.logRetainMax);
    this.#rearm();
    return Ok({ key: envelope.key, deltaCount: envelope.entries.length });
  }

  #pin(): Result<PinnedEnvelope | null, FlushError> {
    const { buffer, options, gatewayId, clock } = this.#deps;
    const entries = buffer.unflushed(options.envelopeDeltasMax);
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (first === undefined || last === undefined) return Ok(null);
    const date = new Date(HLC.decode(first.ingestHlc).wall).toISOString().slice(0, 10);
    const key = envelopeKey({ gatewayId, date, minHlc: first.ingestHlc, maxHlc: last.ingestHlc });
    if (!key.ok)
      return Err(new FlushError(`cannot build envelope key: ${key.error.message}`, key.error));
    let byteSize = 0;
    for (const entry of entries) byteSize += entry.bytes;
    const bytes = encodeEnvelope({
      version: 1,
      gatewayId,
      createdAt: new Date(clock.now()).toISOString(),
      hlcRange: { min: first.ingestHlc, max: last.ingestHlc },
      deltaCount: entries.length,
      byteSize,
      deltas: entries.map((entry) => entry.delta),
    });
    this.#pinned = { entries, key: key.value, bytes };
    return Ok(this.#pinned);
  }

  #rearm(): void {
    const { buffer, options } = this.#deps;
    if (buffer.unflushedCount === 0) return;
    const full =
      buffer.shouldFlush({ maxBytes: options.flushBytesThreshold }) ||
      buffer.unflushedCount >= options.envelopeDeltasMax;
    this.#schedule(full ? 0 : options.flushAgeMs);
  }

  #retryDelayMs(): number {
    const { retryDelayMsMin, retryDelayMsMax } = this.#deps.options;
    const exponent = Math.min(this.#failures - 1, 30);
    return Math.min(retryDelayMsMax, retryDelayMsMin * 2 ** exponent);
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#cancelTimer();
    this.#timer = this.#deps.timers.schedule(() => {
      this.#timer = null;
      void this.flush();
    }, delayMs);
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#deps.timers.cancel(this.#timer);
    this.#timer = null;
  }
}

/** What a flush cycle works with. */
export interface FlushDeps {
  readonly gatewayId: string;
  readonly buffer: DeltaBuffer;
  readonly adapter: LakeAdapter;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly options: GatewayOptions;
}
