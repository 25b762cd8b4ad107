import type { RowDelta } from '../../src/delta/types';
import type { QueueEntry } from '../../src/queue/types';
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
  readonly monotonicity = new MonotonicityWatch();
  readonly counters: WriteCounters = { acknowledged: 0, noops: 0, refused: {}, skipped: 0 };
  /**
   * Writes that were in an outbox when it was wiped (a reincarnation, ADR-021): the user threw
   * them away, so each may be in the lake or not; `settleWiped` decides at the end.
   */
  readonly #wiped = new Map<string, IssuedWrite>();
  /** A restamp seen before the write's acknowledgement: old deltaId → the delta it became. */
  readonly #renamed = new Map<string, RowDelta>();
  /** The identity of every stamping of a restamped write: its first deltaId (see `identityOf`). */
  readonly #identity = new Map<string, string>();
  /** Stampings a restamp replaced: applied too if the gateway had accepted them (`settleSuperseded`). */
  readonly #superseded = new Map<string, IssuedWrite>();
  /** Restamped writes that may be in the lake under two stampings: the limits ADR-021 names. */
  readonly #mayRepeat = new Set<string>();
  /** Each client's latest restamp batch, as write identities (see `restampInexact`). */
  readonly #lastRestamp = new Map<number, string[]>();
  #model = new ReferenceModel();

  /** The reference model folded from every write that must be in the lake. */
  get model(): ReferenceModel {
    return this.#model;
  }

  /**
   * Records an acknowledged write; returns a monotonicity or identity violation message, or null.
   * A second write with the same `deltaId` would mean two different writes hashed alike.
   */
  acknowledged(client: number, written: RowDelta, atMs: number): string | null {
    this.counters.acknowledged++;
    const delta = this.#renamed.get(written.deltaId) ?? written;
    this.#renamed.delete(written.deltaId);
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

  /**
   * A client stamped queued writes again (a reused client id, ADR-021): the write `replaced[i]`
   * is now `deltas[i]` — the same values under a new HLC and deltaId, which is what must reach
   * the lake. The replaced stamping is remembered as the same write (the applied-once oracle)
   * and as superseded. Returns a monotonicity message, or null.
   */
  restamped(
    client: number,
    replaced: readonly RowDelta[],
    deltas: readonly RowDelta[],
    atMs: number,
  ): string | null {
    let problem: string | null = null;
    const identities: string[] = [];
    for (const [index, delta] of deltas.entries()) {
      const old = replaced[index];
      if (old === undefined) continue;
      const identity = this.#identity.get(old.deltaId) ?? old.deltaId;
      this.#identity.set(old.deltaId, identity);
      this.#identity.set(delta.deltaId, identity);
      identities.push(identity);
      const write = this.issued.get(old.deltaId);
      this.#superseded.set(old.deltaId, write ?? { delta: old, atMs });
      if (write === undefined) {
        this.#renamed.set(old.deltaId, delta);
        continue;
      }
      this.issued.delete(old.deltaId);
      this.issued.set(delta.deltaId, { delta, atMs: write.atMs });
      this.#model.apply(delta);
      problem ??= this.monotonicity.write(client, delta.hlc, () => describeDelta(delta));
    }
    this.#lastRestamp.set(client, identities);
    return problem;
  }

  /**
   * The client said its latest restamp was not exact (a snapshot answered a pull since it
   * opened, so writes the gateway held may not have come back): those writes may legitimately be
   * in the lake twice, the limit ADR-021 leaves open.
   */
  restampInexact(client: number): void {
    for (const identity of this.#lastRestamp.get(client) ?? []) this.#mayRepeat.add(identity);
  }

  /**
   * The write a stamping belongs to, when that write was ever stamped again: its first deltaId;
   * `null` for a write stamped once (the usual case).
   */
  identityOf(deltaId: string): string | null {
    return this.#identity.get(deltaId) ?? null;
  }

  /** Whether the write `identity` may legitimately be in the lake twice (see `restampInexact`). */
  mayRepeat(identity: string): boolean {
    return this.#mayRepeat.has(identity);
  }

  /** Whether any of `entries` was stamped again since (its stamping is superseded). */
  stampedAgain(entries: readonly QueueEntry[]): boolean {
    return entries.some((entry) => this.#superseded.has(entry.id));
  }

  /**
   * A client was restored from a backup (ADR-021): its outbox went back to the checkpoint's
   * entries. Writes made since that the lost outbox still held and the gateway does not hold
   * (`atGateway`: the deltaIds its log holds now) never reached it, so the backup's loss of them
   * is legitimate: each may be in the lake or not (like a wiped outbox's; a push still in flight
   * may land it), and if there, once and unaltered. What the gateway holds, and everything the
   * checkpoint holds, must still land. (A write the lost outbox no longer held is durable, in the
   * lake.) The restored outbox stamps from the backup's `lastHlc`, so the client's HLC order
   * starts afresh. Returns how many writes may be lost.
   */
  restored(
    client: number,
    checkpoint: readonly QueueEntry[],
    lost: readonly QueueEntry[],
    atGateway: ReadonlySet<string>,
  ): number {
    const kept = new Set(checkpoint.map((entry) => entry.id));
    let gone = 0;
    for (const entry of lost) {
      if (kept.has(entry.id) || atGateway.has(entry.id)) continue;
      const write = this.issued.get(entry.id);
      if (write === undefined) continue;
      this.issued.delete(entry.id);
      this.#wiped.set(entry.id, write);
      gone++;
    }
    this.monotonicity.forget(client);
    return gone;
  }

  /**
   * At the end of a run: a superseded stamping that is in the lake was accepted and applied (a
   * restamp the client could not avoid, or a bug the applied-once oracle reports), so it counts
   * as written — durability then checks its content — and the model folds it too.
   */
  settleSuperseded(lakeDeltas: readonly RowDelta[]): void {
    if (this.#superseded.size === 0) return;
    for (const delta of lakeDeltas) {
      const write = this.#superseded.get(delta.deltaId);
      if (write === undefined || this.issued.has(delta.deltaId)) continue;
      this.issued.set(delta.deltaId, write);
      this.#model.apply(write.delta);
    }
  }

  /**
   * A client's outbox was wiped (a reincarnation): what it held may be lost, legitimately. Its next
   * outbox starts from its own clock, so its HLC order starts afresh too.
   */
  wiped(client: number, entries: readonly QueueEntry[]): void {
    for (const entry of entries) {
      const write = this.issued.get(entry.id);
      if (write === undefined) continue;
      this.issued.delete(entry.id);
      this.#wiped.set(entry.id, write);
    }
    this.monotonicity.forget(client);
  }

  /**
   * At the end of a run: wiped writes that reached the lake count as issued (they must be there
   * exactly once, with their content), the others are forgotten, and the reference model is
   * folded again without them when there were any. Returns how many wiped writes were lost.
   */
  settleWiped(lakeDeltas: readonly RowDelta[]): number {
    if (this.#wiped.size === 0) return 0;
    const inLake = new Set<string>();
    for (const delta of lakeDeltas) inLake.add(delta.deltaId);
    let lost = 0;
    for (const [deltaId, write] of this.#wiped) {
      if (inLake.has(deltaId)) this.issued.set(deltaId, write);
      else lost++;
    }
    this.#wiped.clear();
    if (lost > 0) {
      this.#model = new ReferenceModel();
      for (const write of this.issued.values()) this.#model.apply(write.delta);
    }
    return lost;
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
