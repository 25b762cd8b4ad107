import type { Row, RowDelta } from '../../src/delta/types';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import type { MemoryQueue } from '../../src/queue/memory-queue';
import type { QueueCheckpoint } from '../../src/queue/queue-checkpoint';
import { unreachable } from '../../src/result/assert';
import type { LakeSyncError } from '../../src/result/errors';
import type { Result } from '../../src/result/result';
import { describeDelta } from '../oracles/describe';
import type { PlanEvent } from '../types';
import type { WriteEvent } from '../workload/writes';
import type { SimWorld } from './sim-world';

/**
 * Feeds the plan's events to the scheduler one at a time, in plan order: each event, when it
 * runs, schedules the next one. The event queue thus holds one plan event at a time however long
 * the plan (a million writes stay within `eventsMax`), and ties keep the plan's order.
 */
export function schedulePlanEvents(world: SimWorld): void {
  const events = world.plan.events;
  const scheduleFrom = (index: number): void => {
    const event = events[index];
    if (event === undefined) return;
    // Only writes and second loops (which open a client) start promise work; fault events are
    // synchronous (see `Scheduler.at`). The action is written inline: a named function expression
    // would cost a `__name` call per event under tsx (esbuild's `keepNames`).
    const settles =
      event.kind === 'write' || event.kind === 'second-loop' || event.kind === 'reincarnation';
    world.scheduler.at(
      Math.max(event.atMs, world.scheduler.nowMs),
      () => {
        scheduleFrom(index + 1);
        applyPlanEvent(world, event);
      },
      settles,
    );
  };
  scheduleFrom(0);
}

/** Carries out one plan event now. */
export function applyPlanEvent(world: SimWorld, event: PlanEvent): void {
  const now = world.scheduler.nowMs;
  switch (event.kind) {
    case 'write':
      issueWrite(world, event);
      return;
    case 'partition': {
      world.network.partition(event.clients, event.direction, now + event.durationMs);
      world.faultCounters.partitions++;
      const who = event.clients.map((client) => `client-${client}`).join(',');
      world.fault(
        'partition',
        'faults',
        `${who} cut ${event.direction} for ${event.durationMs} ms`,
        'major',
      );
      return;
    }
    case 'offline':
      world.network.setOffline(event.client, now + event.durationMs);
      world.faultCounters.offlinePeriods++;
      world.fault(
        'offline',
        `client-${event.client}`,
        `offline for ${event.durationMs} ms`,
        'major',
      );
      return;
    case 'clock-skew': {
      const node = world.clients[event.client];
      if (node === undefined) return;
      node.clock.skew(event.skewMs, event.driftPpm);
      noteSkew(world, node.clock.offsetMs());
      world.fault(
        'clock-skew',
        node.clientId,
        `skew ${event.skewMs} ms, drift ${event.driftPpm} ppm`,
        'major',
      );
      return;
    }
    case 'clock-jump': {
      const node = world.clients[event.client];
      if (node === undefined) return;
      node.clock.jump(event.jumpMs);
      noteSkew(world, node.clock.offsetMs());
      world.fault('clock-jump', node.clientId, `clock jumps ${event.jumpMs} ms`, 'major');
      return;
    }
    case 'gateway-restart':
      world.faultCounters.gatewayRestarts++;
      world.fault('gateway-restart', 'gateway', `crash, back in ${event.downMs} ms`, 'major');
      world.checkGatewayLog('before the crash');
      world.gateway.restart(event.downMs);
      return;
    case 'client-restart': {
      const node = world.clients[event.client];
      if (node === undefined) return;
      world.faultCounters.clientRestarts++;
      world.fault('client-restart', node.clientId, `crash, back in ${event.downMs} ms`, 'major');
      node.restart(event.downMs);
      return;
    }
    case 'second-loop': {
      const node = world.clients[event.client];
      if (node === undefined || !node.startSecondLoop(event.durationMs)) return;
      world.fault(
        'second-loop',
        node.clientId,
        `second sync loop over the outbox for ${event.durationMs} ms`,
        'major',
      );
      return;
    }
    case 'reincarnation':
      reincarnate(world, event);
      return;
    case 'backup-restore':
      takeBackup(world, event);
      return;
    default:
      unreachable(event, 'unknown plan event');
  }
}

/**
 * A reincarnation (ADR-021): the client dies and comes back with a wiped outbox under its old id,
 * its clock `clockBackMs` behind the watermark its earlier outbox left at the gateway (or behind
 * its last HLC when the gateway holds nothing of it), offline for `offlineMs` after it returns.
 * What the wiped outbox held may be lost (the ledger exempts exactly those writes); everything
 * written afterwards must reach the lake.
 */
function reincarnate(world: SimWorld, event: Extract<PlanEvent, { kind: 'reincarnation' }>): void {
  const node = world.clients[event.client];
  if (node === undefined) return;
  const now = world.scheduler.nowMs;
  const accepted = world.gateway.gateway?.clientWatermarks(node.clientId).acceptedHlc ?? 0n;
  const reference = accepted > 0n ? accepted : (node.client?.lastHlc() ?? 0n);
  const behindMs =
    HLC.decode(reference as HLCTimestamp).wall - event.clockBackMs - node.clock.now();
  if (reference > 0n && behindMs < 0) node.clock.jump(behindMs);
  noteSkew(world, node.clock.offsetMs());
  world.network.setOffline(event.client, now + event.downMs + event.offlineMs);
  world.fault(
    'reincarnation',
    node.clientId,
    `outbox wiped, id kept; back in ${event.downMs} ms, clock ${event.clockBackMs} ms behind its watermark, offline ${event.offlineMs} ms more`,
    'major',
  );
  const wiped = node.reincarnate(event.downMs);
  wiped.entries().then(
    (entries) => {
      if (entries.ok) world.ledger.wiped(event.client, entries.value);
      else world.exception(entries.error, `MemoryQueue.entries of ${node.clientId}'s wiped outbox`);
    },
    (error: unknown) => world.exception(error, 'MemoryQueue.entries (rejected)'),
  );
}

type BackupRestore = Extract<PlanEvent, { kind: 'backup-restore' }>;

/**
 * A restore from backup (ADR-021), first half: the client's durable state — its outbox, with
 * every entry's status and retry count and the outbox's `lastHlc`; the client persists nothing
 * else — is saved in a checkpoint now, and the client goes on working and syncing. `restoreAfterMs` later
 * it dies and comes back from the checkpoint (`restoreFromBackup`).
 */
function takeBackup(world: SimWorld, event: BackupRestore): void {
  const node = world.clients[event.client];
  if (node === undefined) return;
  const outbox = node.queue;
  const checkpoint = outbox.checkpoint();
  const unaccepted = checkpoint.entries.filter((entry) => entry.status !== 'accepted').length;
  world.lifecycle(
    node.clientId,
    'backup-taken',
    `outbox saved in a checkpoint: ${checkpoint.entries.length} entries, ${unaccepted} not yet accepted; restored in ${event.restoreAfterMs} ms`,
  );
  world.scheduler.after(event.restoreAfterMs, () =>
    restoreFromBackup(world, event, outbox, checkpoint),
  );
}

/**
 * A restore from backup, second half: the client dies now and comes back `downMs` later with its
 * outbox rebuilt from the checkpoint, under the same id, offline for `offlineMs` more. The ledger
 * learns which writes the rollback may lose legitimately: those made since the checkpoint that
 * the gateway does not hold now. Skipped (and said so on the timeline) when the outbox was
 * replaced since the checkpoint (a reincarnation), or when one of the checkpoint's entries was
 * stamped again since: the restored outbox would hold a stamping that is no longer the write's,
 * a case ADR-021 leaves open.
 */
function restoreFromBackup(
  world: SimWorld,
  event: BackupRestore,
  outbox: MemoryQueue,
  checkpoint: QueueCheckpoint,
): void {
  const node = world.clients[event.client];
  if (node === undefined) return;
  if (node.queue !== outbox || world.ledger.stampedAgain(checkpoint.entries)) {
    const why =
      node.queue !== outbox
        ? 'its outbox was wiped since the backup'
        : 'an entry of the backup was stamped again since (left open by ADR-021)';
    world.lifecycle(node.clientId, 'backup-restore-skipped', why);
    return;
  }
  const now = world.scheduler.nowMs;
  const lost = outbox.checkpoint().entries;
  const gone = world.ledger.restored(
    event.client,
    checkpoint.entries,
    lost,
    heldByGateway(world, node.clientId),
  );
  world.network.setOffline(event.client, now + event.downMs + event.offlineMs);
  world.fault(
    'backup-restore',
    node.clientId,
    `restored from its backup of ${now - event.restoreAfterMs} ms (${checkpoint.entries.length} entries); back in ${event.downMs} ms, offline ${event.offlineMs} ms more; ${gone} later write(s) the gateway never had are lost with the rollback`,
    'major',
  );
  node.restoreFrom(checkpoint, event.downMs);
}

/**
 * The deltaIds of `clientId` the gateway's log holds now. A delta it accepted and trimmed from
 * the log since is in the lake, where the durability oracle finds it anyway.
 */
function heldByGateway(world: SimWorld, clientId: string): Set<string> {
  const held = new Set<string>();
  for (const { delta } of world.gateway.gateway?.log() ?? []) {
    if (delta.clientId === clientId) held.add(delta.deltaId);
  }
  return held;
}

function noteSkew(world: SimWorld, offsetMs: number): void {
  const magnitude = Math.abs(offsetMs);
  if (magnitude > world.faultCounters.clockSkewMsMax)
    world.faultCounters.clockSkewMsMax = magnitude;
}

/**
 * Issues a plan write through the client's public API and records the outcome. A write for a
 * client that is down (restarting) is skipped and counted — the plan stays a fixed script, and a
 * real user cannot type into a dead app either. Writes while offline or partitioned go ahead:
 * local-first writes never need the network.
 */
function issueWrite(world: SimWorld, event: WriteEvent): void {
  const node = world.clients[event.client];
  const client = node?.client ?? null;
  const now = world.scheduler.nowMs;
  const lane = `client-${event.client}`;
  if (node === undefined || client === null) {
    world.ledger.skipped();
    world.trace.record(`${now} write-skipped ${lane}`);
    world.timeline.add(
      'write',
      now,
      lane,
      'write-skipped',
      `${event.op} ${event.table}:${event.rowId} (client down)`,
    );
    return;
  }
  world.ownClocks.noteWrite(event.client, node.clock.now() - world.gatewayClock.now());
  // What the writer saw is what its replica showed now, not when the outbox has taken the write.
  const session = world.sessions.get(node.sessionName);
  session?.writeIssued(event.table, event.rowId);
  let pending: Promise<Result<RowDelta | null, LakeSyncError>>;
  try {
    if (event.op === 'insert')
      pending = client.insert(event.table, event.rowId, copyValues(event.values));
    else if (event.op === 'update')
      // An app updating a row it cannot see (not yet pulled, or deleted) writes it afresh, as an
      // upsert; `update` itself refuses rows that are not visible.
      pending =
        client.get(event.table, event.rowId) === null
          ? client.insert(event.table, event.rowId, copyValues(event.values))
          : client.update(event.table, event.rowId, copyValues(event.values));
    else pending = client.delete(event.table, event.rowId);
  } catch (error) {
    session?.writeAbandoned(event.table, event.rowId);
    world.exception(error, `SyncClient.${event.op} on ${lane}`);
    return;
  }
  pending.then(
    (result) => {
      if (!result.ok || result.value === null) session?.writeAbandoned(event.table, event.rowId);
      if (!result.ok) {
        world.ledger.refused(result.error.code);
        world.trace.record(`${now} write-refused ${lane} ${result.error.code}`);
        world.timeline.add(
          'write',
          now,
          lane,
          'write-refused',
          `${event.op} ${event.table}:${event.rowId}: ${result.error.message}`,
        );
        return;
      }
      const delta = result.value;
      if (delta === null) {
        world.ledger.noop();
        world.trace.record(`${now} write-noop ${lane}`);
        return;
      }
      world.trace.record(`${now} write ${lane} ${delta.deltaId}`);
      const problem = world.ledger.acknowledged(event.client, delta, now);
      if (problem !== null) world.violation('monotonicity', problem);
      world.timeline.add('write', now, lane, `write:${event.op}`, () => describeDelta(delta));
    },
    (error: unknown) => world.exception(error, `SyncClient.${event.op} on ${lane} (rejected)`),
  );
}

/**
 * A fresh null-prototype copy of a plan's values, so the client cannot alias or freeze the plan.
 * Plain assignment defines each column as an own enumerable, writable, configurable data property
 * — even `__proto__`, since an object without a prototype has no `__proto__` setter to hit.
 */
export function copyValues(values: Readonly<Record<string, unknown>>): Row {
  const row: Row = Object.create(null);
  for (const column of Object.keys(values)) row[column] = copyJson(values[column]);
  return row;
}

function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  return copyValues(value as Record<string, unknown>);
}
