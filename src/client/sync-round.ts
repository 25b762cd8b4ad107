import type { RowDelta } from '../delta/types';
import type { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { Transport } from '../ports/transport';
import { decodeSyncResponse, encodeSyncPull, encodeSyncPush } from '../proto/codec';
import type { SyncResponse } from '../proto/types';
import type { SyncQueue } from '../queue/types';
import { LakeSyncError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { ClientOptions } from './options';
import type { OwnEchoes } from './own-echoes';
import type { Replica } from './replica';
import type { ReplicaEvent } from './replica-event';
import {
  type ClientIdReuse,
  isReusedClientId,
  mendReusedClientId,
  type StampedBound,
} from './reused-client-id';

/** Where the client's pulls have got to. A cursor is only meaningful with its gateway epoch. */
export interface PullPosition {
  cursor: HLCTimestamp;
  epoch: HLCTimestamp;
  /** Where a paginated snapshot continues, or 0 when none is under way. */
  snapshotOffset: number;
}

/** Everything one round works on; `isClosed` lets a closed client abandon a round mid-way. */
export interface RoundContext {
  readonly clientId: string;
  readonly transport: Transport;
  readonly queue: SyncQueue;
  readonly hlc: HLC;
  readonly replica: Replica;
  readonly options: ClientOptions;
  readonly position: PullPosition;
  /** The ids of the batch being pushed now; emptied when the reply settles it. */
  readonly claimed: Set<string>;
  readonly isClosed: () => boolean;
  readonly onApplied?: ((event: ReplicaEvent) => void) | undefined;
  /** The highest HLC the client knows its outbox stamped (see `settleReusedClientId`). */
  readonly stamped: StampedBound;
  /** The outbox entries found at open whose delta came back in a pull (see `OwnEchoes`). */
  readonly echoes: OwnEchoes;
  readonly onClientIdReused?: ((reuse: ClientIdReuse) => void) | undefined;
}

/** What a round did. */
export interface RoundCounts {
  pushed: number;
  pulled: number;
  requests: number;
  /** Replies that showed the client id reused by another outbox (ADR-021). */
  reuses: number;
  /** Outbox entries stamped again above a reused id's watermark. */
  restamped: number;
  /** Outbox entries a restamp kept as they were: their delta came back in a pull. */
  kept: number;
}

const CLOSED = new LakeSyncError('CLIENT_CLOSED', 'client closed during a sync round');

/**
 * Pushes the outbox oldest-first, one batch at a time, until nothing is pending. Each batch names
 * the newest earlier delta the client believes the gateway holds (`baseHlc`); on `SEQUENCE_GAP`
 * the client re-opens what the gateway lost and goes again from there.
 */
export async function pushOutbox(
  context: RoundContext,
  counts: RoundCounts,
): Promise<Result<void, LakeSyncError>> {
  const { queue, options } = context;
  while (counts.requests < options.roundRequestsMax) {
    // Nothing is left unsettled in nearly every round: no call, no await then.
    if (context.claimed.size > 0) {
      const released = await releaseUnsettled(context);
      if (!released.ok) return released;
    }
    // The batch is cut at the first entry that is not pending — one that another loop over the
    // same outbox is sending (a second tab). Pushing past it would leave a hole: the gateway would
    // accept the later entries, raise this client's watermark above the hole, and drop the missing
    // ones as duplicates when they come (issue 9 §3).
    const claimed = await queue.claimBatch(options.pushBatchMax);
    if (!claimed.ok) return claimed;
    const { entries: batch, baseHlc: base } = claimed.value;
    if (batch.length === 0) return Ok(undefined);
    const ids: string[] = [];
    const deltas: RowDelta[] = [];
    for (const entry of batch) {
      ids.push(entry.id);
      deltas.push(entry.delta);
      context.claimed.add(entry.id);
    }
    // A write never sent before, at or below the gateway's last reported watermark for this id,
    // would be taken for a duplicate and dropped while acknowledged. Only another outbox under
    // this id puts the watermark there (this outbox's stamps rise in push order, and it sends
    // oldest first), for instance a reincarnated outbox whose early writes straddle it (ADR-021).
    // So the batch goes back to pending and is stamped again above the watermark first.
    const watermark = context.stamped.accepted;
    if (batch.some((entry) => entry.retryCount === 0 && entry.delta.hlc <= watermark)) {
      const released = await settle(context, 'nack', ids);
      if (!released.ok) return released;
      const mended = await mendReusedClientId(context, counts, watermark);
      if (!mended.ok) return mended;
      if (mended.value.restamped === 0 && mended.value.kept === 0) return Ok(undefined);
      continue;
    }
    // What the client sends is in its outbox: a bound on its stamps that a second loop learns too.
    const newest = deltas[deltas.length - 1] as RowDelta;
    if (newest.hlc > context.stamped.hlc) context.stamped.hlc = newest.hlc;
    counts.requests++;
    const reply = await exchange(
      context,
      'push',
      encodeSyncPush({
        clientId: context.clientId,
        deltas,
        lastSeenHlc: context.hlc.last(),
        baseHlc: base,
      }),
    );
    if (context.isClosed()) return Err(CLOSED);
    // A reused client id (ADR-021) is settled before the reply acks anything: the gateway took
    // this batch for duplicates of another outbox's deltas, and that outbox's watermarks must not
    // remove ours. The batch goes back to pending and is stamped again above the watermark.
    if (reply.ok && reply.value.clientAcceptedHlc > context.stamped.hlc) {
      const reused = await isReusedClientId(context, reply.value.clientAcceptedHlc);
      if (!reused.ok || reused.value) {
        const nacked = await settle(context, 'nack', ids);
        if (!nacked.ok) return nacked;
        if (!reused.ok) return reused;
        const mended = await mendReusedClientId(context, counts, reply.value.clientAcceptedHlc);
        if (!mended.ok) return mended;
        // Another loop has some in flight: its reply restamps them all; push nothing meanwhile.
        // Likewise while a paged pull has not reached the log's head (an echo may be to come).
        if (mended.value.inFlight > 0 || mended.value.waiting) return Ok(undefined);
        continue;
      }
    }
    if (!reply.ok || reply.value.error !== null) {
      const nacked = await settle(context, 'nack', ids);
      if (!nacked.ok) return nacked;
      if (!reply.ok) return reply;
    }
    if (reply.value.error === null) {
      const acked = await settle(context, 'ack', ids);
      if (!acked.ok) return acked;
      counts.pushed += batch.length;
      if (newest.hlc > context.stamped.pushed) context.stamped.pushed = newest.hlc;
    }
    const applied = await applyWatermarks(context, counts, reply.value);
    if (!applied.ok) return applied;
    const error = reply.value.error;
    if (error !== null && error.code !== 'SEQUENCE_GAP') {
      return Err(new LakeSyncError(error.code, `gateway refused push: ${error.message}`));
    }
  }
  return Ok(undefined);
}

/**
 * Settles the claimed batch: `ack` (the gateway accepted it) or `nack` (back to pending). The ids
 * leave `context.claimed` only once the outbox has recorded it, so a batch whose settling failed
 * (the outbox's storage refused the write: a full disk, an aborted IndexedDB transaction) is not
 * forgotten in `sending`, where no claim would ever take it again and every later write would
 * wait behind it: `releaseUnsettled` puts it back at the start of the next push.
 */
async function settle(
  context: RoundContext,
  how: 'ack' | 'nack',
  ids: readonly string[],
): Promise<Result<void, LakeSyncError>> {
  const settled = how === 'ack' ? await context.queue.ack(ids) : await context.queue.nack(ids);
  if (settled.ok) context.claimed.clear();
  return settled;
}

/**
 * Puts a batch whose settling failed in an earlier exchange back to pending, before anything new
 * is claimed. `nack` even if the gateway had accepted it: pushed again, it is acknowledged as a
 * duplicate (ADR-011), and its `retryCount` says it was sent (ADR-021 decision 5).
 */
async function releaseUnsettled(context: RoundContext): Promise<Result<void, LakeSyncError>> {
  if (context.claimed.size === 0) return Ok(undefined);
  return settle(context, 'nack', [...context.claimed]);
}

/** Pulls pages after the cursor until the gateway has no more, merging each into the replica. */
export async function pullChanges(
  context: RoundContext,
  counts: RoundCounts,
): Promise<Result<void, LakeSyncError>> {
  const { position, options } = context;
  while (counts.requests < options.roundRequestsMax) {
    counts.requests++;
    const reply = await exchange(
      context,
      'pull',
      encodeSyncPull({
        clientId: context.clientId,
        sinceHlc: position.cursor,
        maxDeltas: options.pullDeltasMax,
        gatewayEpoch: position.epoch,
        snapshotOffset: position.snapshotOffset,
      }),
    );
    if (context.isClosed()) return Err(CLOSED);
    if (!reply.ok) return reply;
    const response = reply.value;
    if (response.error !== null) {
      return Err(
        new LakeSyncError(response.error.code, `gateway refused pull: ${response.error.message}`),
      );
    }
    for (const delta of response.deltas) context.replica.merge(delta);
    context.echoes.notePage(response.deltas, response.snapshot, response.hasMore);
    if (response.deltas.length > 0) {
      const source = response.snapshot ? 'snapshot' : 'pull';
      context.onApplied?.({
        source,
        deltas: response.deltas,
        gatewayEpoch: response.gatewayEpoch,
        replica: context.replica,
      });
    }
    counts.pulled += response.deltas.length;
    position.cursor = response.cursor;
    position.epoch = response.gatewayEpoch;
    position.snapshotOffset = response.snapshot && response.hasMore ? response.snapshotNext : 0;
    // A reused client id (ADR-021): the watermarks are another outbox's; restamp before pushing,
    // once the pull has reached the log's head (an own delta on a later page was accepted).
    const accepted = response.clientAcceptedHlc;
    if (accepted > context.stamped.hlc) {
      const reused = await isReusedClientId(context, accepted);
      if (!reused.ok) return reused;
      const mended = reused.value ? await mendReusedClientId(context, counts, accepted) : null;
      if (mended !== null && !mended.ok) return mended;
      if (mended !== null) {
        if (!response.hasMore) return Ok(undefined);
        continue;
      }
    }
    const applied = await applyWatermarks(context, counts, response);
    if (!applied.ok) return applied;
    if (!response.hasMore) return Ok(undefined);
  }
  return Ok(undefined);
}

/** Sends one request and decodes the reply; absorbs the server HLC when within the drift limit. */
async function exchange(
  context: RoundContext,
  kind: 'push' | 'pull',
  request: Uint8Array,
): Promise<Result<SyncResponse, LakeSyncError>> {
  const sent = await context.transport[kind](request);
  if (!sent.ok) return sent;
  const response = decodeSyncResponse(sent.value);
  if (!response.ok) return response;
  context.hlc.observe(newestStamp(response.value));
  context.stamped.accepted = response.value.clientAcceptedHlc;
  return response;
}

/**
 * Removes what is durable from the outbox and re-opens accepted entries the gateway no longer
 * holds (it restarted before flushing them), so they are pushed again.
 */
async function applyWatermarks(
  context: RoundContext,
  counts: RoundCounts,
  response: SyncResponse,
): Promise<Result<void, LakeSyncError>> {
  // A pending write never sent cannot be in the lake nor at the gateway: if the watermarks cover
  // it, they are not about it (another outbox's under this id, a reincarnated outbox whose early
  // writes straddle them, or a restored one whose clock re-issued a stamp the lost process had
  // used, ADR-021). It is stamped again above them before the durable one could remove it; with
  // an entry of the range in flight, nothing is applied until a later reply. Only a watermark
  // above what this client pushed itself can cover such a write, so the usual reply (its own
  // pushes' watermark) asks the queue nothing.
  const accepted = response.clientAcceptedHlc;
  if (accepted > context.stamped.pushed) {
    const unsent = await unsentUnder(context, accepted);
    if (!unsent.ok) return unsent;
    if (unsent.value) {
      const mended = await mendReusedClientId(context, counts, accepted);
      if (!mended.ok) return mended;
      if (mended.value.restamped === 0 && mended.value.kept === 0) return Ok(undefined);
    }
  }
  const removed = await context.queue.removeDurable(response.clientDurableHlc);
  if (!removed.ok) return removed;
  context.echoes.forgetDurable(response.clientDurableHlc);
  const reopened = await context.queue.reopen(response.clientAcceptedHlc);
  return reopened.ok ? Ok(undefined) : reopened;
}

/**
 * Whether the outbox holds a pending write never sent at or below `accepted`. The oldest pending
 * entry is enough while this client's own stamps since open are above the watermark: entries
 * from before it opened rise in push order with the sends, so a never-sent one under the
 * watermark would be the oldest. When this client itself stamped at or below the watermark since
 * it opened (its clock behind, or a restored outbox's HLC re-issuing the lost process's stamps),
 * such a write may sit behind entries that were sent, and the whole outbox is read.
 */
async function unsentUnder(
  context: RoundContext,
  accepted: HLCTimestamp,
): Promise<Result<boolean, LakeSyncError>> {
  const head = await context.queue.peek(1);
  if (!head.ok) return head;
  const oldest = head.value[0];
  if (oldest === undefined) return Ok(false);
  if (oldest.retryCount === 0 && oldest.delta.hlc <= accepted) return Ok(true);
  const first = context.stamped.firstSinceOpen;
  if (first === HLC_NONE || first > accepted) return Ok(false);
  const listed = await context.queue.entries();
  if (!listed.ok) return listed;
  return Ok(
    listed.value.some(
      (entry) =>
        entry.status === 'pending' && entry.retryCount === 0 && entry.delta.hlc <= accepted,
    ),
  );
}

/** No stamp yet (`StampedBound.firstSinceOpen` before the first write). */
const HLC_NONE = 0n as HLCTimestamp;

/**
 * The newest HLC a response carries: its server HLC and every delta's stamp. The client absorbs
 * it without its own drift check (ADR-013): each is the gateway's clock or a stamp the gateway
 * accepted, so its wall part is at most the gateway's wall clock + `maxDriftMs` — inside what the
 * gateway accepts from us later. Refusing it because *our* clock is slow is what lost edits
 * (issue 9): our next write was stamped below a version we had just shown.
 */
function newestStamp(response: SyncResponse): HLCTimestamp {
  let newest = response.serverHlc;
  for (const delta of response.deltas) if (delta.hlc > newest) newest = delta.hlc;
  return newest;
}
