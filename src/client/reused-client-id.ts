import { makeDelta } from '../delta/delta-id';
import type { RowDelta } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { QueueEntry, Restamp } from '../queue/types';
import type { LakeSyncError } from '../result/errors';
import { Ok, type Result } from '../result/result';
import type { OwnEchoes } from './own-echoes';
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
  /**
   * Outbox entries kept as they were because their delta came back in a pull since the client
   * opened: the gateway holds them (an outbox restored from a backup taken while they were
   * unsent), so stamping them again would apply them twice, over later edits.
   */
  readonly kept: number;
  /**
   * False when a pull since open was answered with a snapshot (its cursor was older than the
   * retained log, or the gateway restarted): entries the gateway holds may then not have come
   * back, and some of the restamped ones may be applied a second time.
   */
  readonly exact: boolean;
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
  /**
   * The HLC of the first write this client stamped since it opened (0 until it writes): every
   * write it stamped since is at or above it. When a watermark covers it, a write this client
   * never sent may lie under the watermark behind entries that were sent (see `applyWatermarks`).
   */
  firstSinceOpen: HLCTimestamp;
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
 * keeps the entries whose delta came back in a pull and stamps the unsent ones again above it
 * (`restampOutbox`), counts it and tells `onClientIdReused`. Decides nothing (`waiting`) until
 * the latest pull has reached the log's head. The caller must not ack anything by that reply nor
 * apply its watermarks (they are the other outbox's: its durable watermark would remove our
 * entries unsent).
 */
export async function mendReusedClientId(
  context: RoundContext,
  counts: RoundCounts,
  acceptedHlc: HLCTimestamp,
): Promise<Result<RestampOutcome, LakeSyncError>> {
  // Until the latest pull has reached the log's head, an entry the gateway holds may still come
  // back on a later page: deciding now could stamp it again (OwnEchoes).
  if (!context.echoes.atHead) return Ok(WAITING);
  const stampedHlc = context.stamped.hlc;
  context.hlc.observe(acceptedHlc);
  const restamped = await restampOutbox(context, acceptedHlc);
  if (!restamped.ok) return restamped;
  // Nothing unsent to restamp: told once per watermark (a higher one, the other outbox still
  // writing, is told again). The check itself goes on at every reply while `W` is above what the
  // outbox stamped: this client's own stamps are above `W` now, but another loop's may not be.
  const { restamped: count, inFlight, kept } = restamped.value;
  if (count === 0 && inFlight === 0 && kept === 0) {
    if (acceptedHlc <= context.stamped.told) return restamped;
    context.stamped.told = acceptedHlc;
  }
  counts.reuses++;
  counts.restamped += count;
  counts.kept += kept;
  const notice = reuseNotice(
    context.clientId,
    acceptedHlc,
    stampedHlc,
    restamped.value,
    context.echoes.exact,
  );
  context.onClientIdReused?.(notice);
  return restamped;
}

/** What `restampOutbox` did. */
export interface RestampOutcome {
  readonly restamped: number;
  readonly inFlight: number;
  /** Entries kept as they were: their delta came back in a pull (the gateway holds them). */
  readonly kept: number;
  /** Nothing decided: the latest pull has not reached the log's head yet. */
  readonly waiting: boolean;
}

const WAITING: RestampOutcome = Object.freeze({
  restamped: 0,
  inFlight: 0,
  kept: 0,
  waiting: true,
});

const NOTHING: RestampOutcome = Object.freeze({
  restamped: 0,
  inFlight: 0,
  kept: 0,
  waiting: false,
});

/**
 * Mends the outbox from its first entry not yet accepted to its end, in push order (see
 * `splitForRestamp`): the entries whose delta came back in a pull are held (accepted, as they
 * are); the first entry at or below the watermark `acceptedHlc` that has not come back, and every
 * entry after it, is stamped again with a fresh HLC from the client's HLC (above everything it
 * issued or absorbed, the watermark included) and so a new `deltaId` (ADR-009), the same write
 * otherwise. The queue does both in one atomic step, keeping push order, and raises its
 * `lastHlc` (to the watermark at least, even with nothing else to do: the outbox answers for it
 * now, so the same watermark is not taken for a reuse again, after a restart neither). The new
 * deltas are merged into the replica (the same values at a newer version) and reported to
 * `onApplied` as a `restamp` batch. Does nothing when an entry in that range is `sending`
 * (another loop has it in flight; its reply carries the same watermark and retries).
 */
export async function restampOutbox(
  context: RoundContext,
  acceptedHlc: HLCTimestamp,
): Promise<Result<RestampOutcome, LakeSyncError>> {
  const listed = await context.queue.entries();
  if (!listed.ok) return listed;
  const range = fromFirstUnaccepted(listed.value);
  const inFlight = range.filter((entry) => entry.status === 'sending').length;
  if (inFlight > 0) return Ok({ ...NOTHING, inFlight });
  const { held, stale } = splitForRestamp(range, context.echoes, acceptedHlc);
  // With nothing to hold or stamp again, the outbox still answers for the watermark now (its
  // entries are all accepted, or it has none): raising `lastHlc` to it settles the reuse, so the
  // watermarks are applied from the next reply on and the accepted entries drain.
  if (held.length === 0 && stale.length === 0 && acceptedHlc <= context.stamped.hlc) {
    return Ok(NOTHING);
  }
  const replacements: Restamp[] = [];
  const replaced: RowDelta[] = [];
  for (const entry of stale) {
    const { op, table, rowId, clientId, columns } = entry.delta;
    const delta = makeDelta({ op, table, rowId, clientId, columns, hlc: context.hlc.now() });
    replacements.push({ id: entry.id, delta });
    replaced.push(entry.delta);
  }
  const heldPending = held.filter((entry) => entry.status === 'pending').map((entry) => entry.id);
  const swapped = await context.queue.restamp(replacements, {
    held: heldPending,
    lastHlcMin: acceptedHlc,
  });
  if (!swapped.ok) return swapped;
  for (const entry of stale) context.echoes.forget(entry.id);
  if (acceptedHlc > context.stamped.hlc) context.stamped.hlc = acceptedHlc;
  const deltas = replacements.map((replacement) => replacement.delta);
  const newest = deltas[deltas.length - 1];
  if (newest === undefined) return Ok({ ...NOTHING, kept: held.length });
  if (newest.hlc > context.stamped.hlc) context.stamped.hlc = newest.hlc;
  for (const delta of deltas) context.replica.merge(delta);
  context.onApplied?.({
    source: 'restamp',
    deltas,
    replaced,
    gatewayEpoch: HLC.ZERO,
    replica: context.replica,
  });
  return Ok({ restamped: deltas.length, inFlight: 0, kept: held.length, waiting: false });
}

/**
 * Splits the range to mend, in push order, into three runs:
 * - `held`: the leading entries whose delta came back in a pull since open — the gateway holds
 *   them, so they are kept (stamping them again would apply them twice);
 * - then entries above the watermark: nothing at the gateway covers them, so they are sent as
 *   they are (truly unsent writes of an outbox restored from a backup);
 * - `stale`: from the first entry at or below the watermark that has not come back, everything:
 *   the gateway would take it for a duplicate, and what follows it is stamped again too so that
 *   HLCs keep rising in push order.
 * An echoed entry after a stale one is stamped again as well (push order first); with a complete
 * log that cannot happen, as the gateway accepts a client's deltas only in push order.
 */
function splitForRestamp(
  range: readonly QueueEntry[],
  echoes: OwnEchoes,
  acceptedHlc: HLCTimestamp,
): { held: QueueEntry[]; stale: QueueEntry[] } {
  let kept = 0;
  while (kept < range.length && echoes.has((range[kept] as QueueEntry).id)) kept++;
  let first = kept;
  while (first < range.length && (range[first] as QueueEntry).delta.hlc > acceptedHlc) first++;
  return { held: range.slice(0, kept), stale: range.slice(first) };
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
  exact: boolean,
): ClientIdReuse {
  const done: string[] = [];
  if (outcome.restamped > 0) {
    const doubt = exact
      ? ''
      : ' (a pull since this client opened was answered with a snapshot, so some of them may be writes the gateway already holds, applied again)';
    done.push(
      `${outcome.restamped} unsent write(s) stamped again above it and pushed again${doubt}`,
    );
  }
  if (outcome.kept > 0) {
    done.push(
      `${outcome.kept} write(s) the gateway already holds (seen in a pull) kept as they were`,
    );
  }
  const what =
    outcome.inFlight > 0
      ? `${outcome.inFlight} of its writes are in flight from another loop over this outbox; restamping on the next reply`
      : done.length > 0
        ? done.join('; ')
        : 'nothing unsent to stamp again; later writes are stamped above it';
  const where =
    acceptedHlc > stampedHlc
      ? `the gateway holds its writes up to ${describeStamp(acceptedHlc)}, above the ${describeStamp(stampedHlc)} this outbox ever stamped`
      : `the gateway's watermark for it, ${describeStamp(acceptedHlc)}, covers writes this outbox had not seen accepted`;
  return {
    clientId,
    acceptedHlc,
    stampedHlc,
    restamped: outcome.restamped,
    kept: outcome.kept,
    inFlight: outcome.inFlight,
    exact,
    message:
      `client id ${clientId} was used by another outbox (or this one was restored from a backup): ${where}; ${what}. ` +
      'Give a fresh outbox a fresh client id.',
  };
}

/** An HLC as `<wall ms>.<counter>`, for people. */
function describeStamp(hlc: HLCTimestamp): string {
  const { wall, counter } = HLC.decode(hlc);
  return `${wall}.${counter}`;
}
