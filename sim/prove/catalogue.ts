import type { FaultProfileName, FaultRates, OracleName } from '../types';
import { REACH_BUGS } from './catalogue-reach';
import { SESSION_BUGS } from './catalogue-session';

/**
 * A bug typical of sync engines, planted by one exact text replacement in a scratch copy of the
 * repository. `find` must occur exactly once in `file`; when the code it targets changes, the
 * prove run says the patch no longer applies instead of reporting a false "caught".
 */
export interface PlantedBug {
  readonly id: string;
  readonly title: string;
  /** What goes wrong in a real deployment, in one sentence. */
  readonly consequence: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  /** The fault profile that exercises it. */
  readonly faults: FaultProfileName;
  /** Rates that replace the profile's, to aim the faults at the bug (swarm testing by hand). */
  readonly rates?: Partial<FaultRates>;
  /** Oracles that would rightly catch it (for the report; any violation counts as caught). */
  readonly expected: readonly OracleName[];
}

/** The first catalogue: the data model, the gateway and the outbox. */
const CORE_BUGS: readonly PlantedBug[] = [
  {
    id: 'merged-delta-one-hlc',
    title: 'merged state keeps one HLC for the whole row',
    consequence:
      'a write to one column restamps the others, so an older concurrent write to another column is wrongly discarded',
    file: 'src/conflict/row-state.ts',
    find: '    state.columns.set(change.column, { value: change.value, version });\n    changed = true;\n  }\n  return changed;',
    replace:
      '    state.columns.set(change.column, { value: change.value, version });\n    changed = true;\n  }\n  if (version !== null) for (const [name, column] of state.columns) state.columns.set(name, { value: column.value, version });\n  return changed;',
    faults: 'default',
    expected: ['model-agreement', 'convergence'],
  },
  {
    id: 'pull-by-delta-hlc',
    title: 'pull filtered by delta HLC instead of ingest HLC',
    consequence:
      'a delta stamped long ago that arrives late (after a partition) is skipped by every cursor already past its stamp',
    file: 'src/gateway/delta-log.ts',
    find: 'if (this.#ingest[mid]! <= cursor) low = mid + 1;',
    replace: 'if (this.#deltas[mid]!.hlc <= cursor) low = mid + 1;',
    faults: 'chaos',
    expected: ['convergence'],
  },
  {
    id: 'dedupe-forgets-after-flush',
    title: 'dedupe state cleared by a flush',
    consequence: 're-pushes of accepted deltas are appended again and land twice in the lake',
    file: 'src/gateway/delta-buffer.ts',
    find: '    for (const entry of entries) this.#durable.set(entry.delta.clientId, entry.delta.hlc);\n',
    replace:
      '    for (const entry of entries) this.#durable.set(entry.delta.clientId, entry.delta.hlc);\n    this.#accepted.clear();\n',
    faults: 'default',
    expected: ['idempotency'],
  },
  {
    id: 'ack-before-durable',
    title: 'outbox cleared on acceptance, not durability',
    consequence:
      'a gateway restart before its next flush loses writes that every client has already forgotten',
    file: 'src/client/sync-round.ts',
    find: 'context.queue.removeDurable(response.clientDurableHlc)',
    replace: 'context.queue.removeDurable(response.clientAcceptedHlc)',
    faults: 'chaos',
    expected: ['durability'],
  },
  {
    id: 'tiebreak-reversed',
    title: 'equal-HLC tie broken by the lower clientId',
    consequence:
      'replicas agree with each other but not with the documented rule, so the lake and any independent reader disagree',
    file: 'src/conflict/version.ts',
    find: 'return clientIdA < clientIdB ? -1 : 1;',
    replace: 'return clientIdA < clientIdB ? 1 : -1;',
    // Clocks agree only without skew faults; then conflict bursts stamp equal HLCs.
    faults: 'none',
    expected: ['model-agreement'],
  },
  {
    id: 'hlc-backward-jump',
    title: 'HLC follows the wall clock backwards',
    consequence:
      'after an NTP step back a client stamps new writes below old ones, which then lose to stale values',
    file: 'src/hlc/hlc.ts',
    find: '    if (wall > this.#lastWall) {\n      this.#lastWall = wall;\n      this.#lastCounter = 0;',
    replace:
      '    if (wall !== this.#lastWall) {\n      this.#lastWall = wall;\n      this.#lastCounter = 0;',
    faults: 'chaos',
    expected: ['monotonicity', 'liveness'],
  },
  {
    id: 'drift-vs-last-hlc',
    title: 'drift checked against the last HLC instead of the wall clock',
    consequence:
      'one fast client ratchets the gateway forward, and writes far in the future are accepted',
    file: 'src/gateway/gateway.ts',
    find: 'const valid = validatePush(push, this.#wallMsHigh, this.#options);',
    replace: 'const valid = validatePush(push, HLC.decode(this.#hlc.last()).wall, this.#options);',
    faults: 'chaos',
    // Aimed at the clocks: outboxes that fail and lag make the fast client's pushes rarer.
    rates: { outboxFailProbability: 0, outboxLatencyMsMax: 0 },
    expected: ['monotonicity'],
  },
  {
    id: 'tombstone-ignored',
    title: 'writes older than the tombstone are applied',
    consequence:
      'a stale update that arrives after a delete resurrects the row on some replicas only',
    file: 'src/conflict/row-state.ts',
    find: '    tombstone !== null &&\n    compareVersionParts(hlc, clientId, tombstone.hlc, tombstone.clientId) <= 0\n  ) {\n    return false;',
    replace:
      "    tombstone !== null &&\n    compareVersionParts(hlc, clientId, tombstone.hlc, tombstone.clientId) <= 0 &&\n    delta.op === 'DELETE'\n  ) {\n    return false;",
    faults: 'default',
    expected: ['model-agreement', 'convergence'],
  },
  {
    id: 'flush-clears-index',
    title: 'flush clears the index',
    consequence:
      'after a flush the gateway resolves conflicts and serves snapshots from an empty state',
    file: 'src/gateway/delta-buffer.ts',
    find: '    this.#log.markFlushed(entries.length, retainMax);\n',
    replace:
      '    this.#log.markFlushed(entries.length, retainMax);\n    this.#index.clear();\n    this.#rowsByTable.clear();\n',
    faults: 'default',
    expected: ['convergence'],
  },
  {
    id: 'duplicate-envelope-on-lost-reply',
    title: 'a failed flush is re-cut instead of retried as pinned',
    consequence:
      'a write that landed but whose reply was lost is written again under another key with more deltas',
    file: 'src/gateway/flush-cycle.ts',
    find: '      this.counters.flushesFailed++;\n',
    replace: '      this.#pinned = null;\n      this.counters.flushesFailed++;\n',
    faults: 'default',
    rates: { storageLostReplyProbability: 0.3, storageLatencyMsMax: 1_500 },
    expected: ['idempotency'],
  },
  {
    id: 'no-sequence-gap-check',
    title: 'gateway accepts a push that skips deltas it lost',
    consequence:
      'after a restart the lost deltas fall below the client watermark and are never re-pushed',
    file: 'src/gateway/gateway.ts',
    find: 'if (push.baseHlc > accepted) {',
    replace: 'if (push.baseHlc > accepted && push.baseHlc < 0n) {',
    faults: 'chaos',
    expected: ['durability'],
  },
  {
    id: 'sending-stuck-after-restart',
    title: 'entries caught mid-send stay "sending" after a client restart',
    consequence: 'the outbox never drains: those writes never reach the gateway',
    file: 'src/client/sync-client.ts',
    find: '    if (sending.length > 0) {',
    replace: '    if (sending.length < 0) {',
    faults: 'chaos',
    expected: ['liveness', 'durability'],
  },
  {
    id: 'unsettled-batch-forgotten',
    title: 'a batch whose ack or nack the outbox failed to record is forgotten',
    consequence:
      'after one failed IndexedDB write the batch stays "sending" with no loop to send it; every later write of the client waits behind it and never reaches the gateway',
    file: 'src/client/sync-round.ts',
    find: '  if (context.claimed.size === 0) return Ok(undefined);',
    replace: '  if (context.claimed.size >= 0) return Ok(undefined);',
    faults: 'chaos',
    expected: ['liveness', 'durability', 'convergence'],
  },
  {
    id: 'refused-write-shown',
    title: 'a write the outbox refused is shown anyway',
    consequence:
      'the app is told the write failed, yet the user sees it on this device, and only here, until the replica is rebuilt',
    file: 'src/client/sync-client.ts',
    find: '    const queued = await this.#deps.queue.push(delta);\n    if (!queued.ok) return queued;',
    replace:
      '    const queued = await this.#deps.queue.push(delta);\n    if (!queued.ok) {\n      this.#replica.merge(delta);\n      return queued;\n    }',
    faults: 'chaos',
    expected: ['convergence', 'model-agreement'],
  },
  {
    id: 'orphans-never-released',
    title: 'the loop left after another one ended ignores what that one left "sending"',
    consequence:
      'a tab that closed while its outbox failed (or crashed mid-round) leaves its batch "sending"; until the app restarts, the other tab sends nothing',
    file: 'src/client/sync-client.ts',
    find: '  releaseOrphans(): void {\n    this.#releaseOrphans = true;\n  }',
    replace: '  releaseOrphans(): void {}',
    faults: 'chaos',
    // Aimed: many second loops, and outboxes that fail often enough for a close to meet one.
    rates: { outboxFailProbability: 0.2, secondLoopsPerRun: 20 },
    expected: ['liveness', 'durability', 'convergence'],
  },
  {
    id: 'reused-client-id-not-restamped',
    title: 'a reused client id is noticed, but the restamped writes never reach the outbox',
    consequence:
      'a fresh outbox under an old client id keeps its writes stamped below the watermark its earlier outbox left; the gateway acknowledges them as duplicates and they vanish',
    file: 'src/client/reused-client-id.ts',
    find: '  const swapped = await context.queue.restamp(replacements, {\n    held: heldPending,\n    lastHlcMin: acceptedHlc,\n  });',
    replace: '  const swapped: Result<number, LakeSyncError> = Ok(replacements.length);',
    faults: 'reincarnation',
    expected: ['durability', 'convergence'],
  },
  {
    id: 'restored-outbox-ignores-echoes',
    title: 'a restored outbox never notices its own writes coming back in pulls',
    consequence:
      'a device restored from a backup stamps again the writes the gateway accepted after the backup, and applies them a second time over the edits made since: values go back in time',
    file: 'src/client/own-echoes.ts',
    find: '      if (delta.clientId !== this.#clientId) continue;',
    replace: '      continue;',
    faults: 'reincarnation',
    expected: ['applied-once'],
  },
];

/** The catalogue `npm run sim:prove` runs. Every entry must be caught. */
export const PLANTED_BUGS: readonly PlantedBug[] = [...CORE_BUGS, ...SESSION_BUGS, ...REACH_BUGS];
