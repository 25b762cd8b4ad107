import { makeDelta } from '../delta/delta-id';
import type { RowDelta } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { QueueEntry, Restamp } from '../queue/types';
import type { LakeSyncError } from '../result/errors';
import { Ok, type Result } from '../result/result';
import type { RoundContext, RoundCounts } from './sync-round';

/**
 * A reused client id (ADR-013, Risks; ADR-021): another outbox stamped deltas under this client's
 * id, and the gateway's accepted watermark for the id now stands above every HLC this outbox
 * ever stamped. Told to `ClientDeps.onClientIdReused`; not an error: the writes are kept.
 */
export interface ClientIdReuse {
  readonly clientId: string;
  /** The gateway's accepted watermark for the id (`client_accepted_hlc`). */
  readonly acceptedHlc: HLCTimestamp;
  /** The highest HLC this outbox ever stamped (`SyncQueue.lastHlc`; 0 for a new outbox). */
  readonly stampedHlc: HLCTimestamp;
  /** Outbox entries stamped again above the watermark, to be pushed again. */
  readonly restamped: number;
  /** Entries another loop over the outbox has in flight: nothing restamped, the next reply retries. */
  readonly inFlight: number;
  /** One sentence for a log or a status line. */
  readonly message: string;
}

/**
 * The highest HLC the client knows its outbox stamped: a lower bound of `SyncQueue.lastHlc`
 * (another loop over the outbox may have stamped more), kept so the usual reply is checked
 * without asking the queue.
 */
export interface StampedBound {
  hlc: HLCTimestamp;
  /**
   * The highest watermark already told with nothing to restamp, so that the same `W` is not told
   * on every reply. It does not settle `W`: another loop over the outbox (a second tab) may still
   * stamp below it, and those writes must be caught on a later reply.
   */
  told: HLCTimestamp;
  /**
   * The gateway's accepted watermark for this id in the last reply (`client_accepted_hlc`): a
   * write never sent that is at or below it would be dropped as a duplicate (see `pushOutbox`).
   */
  accepted: HLCTimestamp;
  /** The newest HLC this client pushed and had acknowledged since it opened. */
  pushed: HLCTimestamp;
}

/**
 * Whether a reply's accepted watermark `W` shows this client's id reused: `W` is the highest delta
 * HLC the gateway accepted under the id, and every delta of this outbox is at most its highest
 * stamp `H` (`SyncQueue.lastHlc`), so `W > H` happens only when another outbox stamped deltas
 * under the id (site data cleared but the id kept, a restore from backup). The gateway then takes
 * every delta of this outbox for a duplicate and drops it while acknowledging it. Asks the queue
 * only when `W` is above `context.stamped` (callers compare first, so the usual reply costs one
 * comparison), and raises `context.stamped` to what the queue says.
 */
export async function isReusedClientId(
  context: RoundContext,
  acceptedHlc: HLCTimestamp,
): Promise<Result<boolean, LakeSyncError>> {
  if (acceptedHlc <= context.stamped.hlc) return Ok(false);
  const last = await context.queue.lastHlc();
  if (!last.ok) return last;
  const stampedHlc = last.value ?? HLC.ZERO;
  if (stampedHlc > context.stamped.hlc) context.stamped.hlc = stampedHlc;
  return Ok(acceptedHlc > stampedHlc);
}

/**
 * Mends a reused client id once `isReusedClientId` said so: absorbs the watermark into the HLC,
 * stamps every not-yet-accepted entry again above it (`restampOutbox`), counts it and tells
 * `onClientIdReused`. The caller must not ack anything by that reply nor apply its watermarks
 * (they are the other outbox's: its durable watermark would remove our entries unsent).
 */
export async function mendReusedClientId(
  context: RoundContext,
  counts: RoundCounts,
  acceptedHlc: HLCTimestamp,
): Promise<Result<RestampOutcome, LakeSyncError>> {
  const stampedHlc = context.stamped.hlc;
  context.hlc.observe(acceptedHlc);
  const restamped = await restampOutbox(context);
  if (!restamped.ok) return restamped;
  // Nothing unsent to restamp: told once per watermark (a higher one, the other outbox still
  // writing, is told again). The check itself goes on at every reply while `W` is above what the
  // outbox stamped: this client's own stamps are above `W` now, but another loop's may not be.
  const { restamped: count, inFlight } = restamped.value;
  if (count === 0 && inFlight === 0) {
    if (acceptedHlc <= context.stamped.told) return restamped;
    context.stamped.told = acceptedHlc;
  }
  counts.reuses++;
  counts.restamped += restamped.value.restamped;
  const notice = reuseNotice(context.clientId, acceptedHlc, stampedHlc, restamped.value);
  context.onClientIdReused?.(notice);
  return restamped;
}

/** What `restampOutbox` did. */
export interface RestampOutcome {
  readonly restamped: number;
  readonly inFlight: number;
}

/**
 * Stamps again every entry from the first one not yet accepted to the end of the outbox, in push
 * order, with fresh HLCs from the client's HLC (above everything it issued or absorbed, the
 * gateway's watermark included) and so new `deltaId`s (ADR-009), the same write otherwise; the
 * queue swaps them in one atomic step, keeping push order, and raises its `lastHlc`. The new
 * deltas are merged into the replica (the same values at a newer version) and reported to
 * `onApplied` as a `restamp` batch. Accepted entries after the first pending one are included,
 * so HLCs keep rising in push order. Restamps nothing when an entry in that range is `sending`
 * (another loop has it in flight; its reply carries the same watermark and retries).
 */
export async function restampOutbox(
  context: RoundContext,
): Promise<Result<RestampOutcome, LakeSyncError>> {
  const listed = await context.queue.entries();
  if (!listed.ok) return listed;
  const range = fromFirstUnaccepted(listed.value);
  const inFlight = range.filter((entry) => entry.status === 'sending').length;
  if (range.length === 0 || inFlight > 0) return Ok({ restamped: 0, inFlight });
  const replacements: Restamp[] = [];
  const replaced: RowDelta[] = [];
  for (const entry of range) {
    const { op, table, rowId, clientId, columns } = entry.delta;
    const delta = makeDelta({ op, table, rowId, clientId, columns, hlc: context.hlc.now() });
    replacements.push({ id: entry.id, delta });
    replaced.push(entry.delta);
  }
  const swapped = await context.queue.restamp(replacements);
  if (!swapped.ok) return swapped;
  const deltas = replacements.map((replacement) => replacement.delta);
  const newest = deltas[deltas.length - 1] as RowDelta;
  if (newest.hlc > context.stamped.hlc) context.stamped.hlc = newest.hlc;
  for (const delta of deltas) context.replica.merge(delta);
  context.onApplied?.({
    source: 'restamp',
    deltas,
    replaced,
    gatewayEpoch: HLC.ZERO,
    replica: context.replica,
  });
  return Ok({ restamped: deltas.length, inFlight: 0 });
}

/** The entries from the first that is not accepted on, in push order. */
function fromFirstUnaccepted(entries: readonly QueueEntry[]): QueueEntry[] {
  const first = entries.findIndex((entry) => entry.status !== 'accepted');
  return first < 0 ? [] : entries.slice(first);
}

function reuseNotice(
  clientId: string,
  acceptedHlc: HLCTimestamp,
  stampedHlc: HLCTimestamp,
  outcome: RestampOutcome,
): ClientIdReuse {
  const what =
    outcome.inFlight > 0
      ? `${outcome.inFlight} of its writes are in flight from another loop over this outbox; restamping on the next reply`
      : outcome.restamped > 0
        ? `${outcome.restamped} unsent write(s) stamped again above it and pushed again`
        : 'nothing unsent to stamp again; later writes are stamped above it';
  return {
    clientId,
    acceptedHlc,
    stampedHlc,
    restamped: outcome.restamped,
    inFlight: outcome.inFlight,
    message:
      `client id ${clientId} was used by another outbox: the gateway holds its writes up to ` +
      `${describeStamp(acceptedHlc)}, above the ${describeStamp(stampedHlc)} this outbox ever ` +
      `stamped; ${what}. ` +
      'Give a fresh outbox a fresh client id.',
  };
}

/** An HLC as `<wall ms>.<counter>`, for people. */
function describeStamp(hlc: HLCTimestamp): string {
  const { wall, counter } = HLC.decode(hlc);
  return `${wall}.${counter}`;
}
