import type { PlantedBug } from './catalogue';

/**
 * Bugs the session-guarantee oracles, the shared-outbox faults, the redelivery count and the
 * conflict cohorts must catch (issue 9). Each names the oracle built for it first in `expected`.
 */
export const SESSION_BUGS: readonly PlantedBug[] = [
  {
    id: 'write-on-raw-clock',
    title: 'writes stamped with the raw wall clock, absorbing nothing',
    consequence:
      'a client whose clock is behind stamps its edit below the version it has just shown, so last-write-wins reverts the edit everywhere',
    file: 'src/client/sync-client.ts',
    find: '    const hlc = this.#stampAbove(rowVersionMax(this.#replica.state(table, rowId)));',
    replace: '    const hlc = new HLC(this.#deps.clock).now();',
    faults: 'default',
    expected: ['writes-follow-reads', 'monotonicity'],
  },
  {
    id: 'write-not-shown',
    title: 'a local write is queued but not merged into the replica',
    consequence:
      'the user’s edit does not show until a pull brings it back from the gateway (offline: never)',
    file: 'src/client/sync-client.ts',
    find: "    this.#replica.merge(delta);\n    this.#deps.onApplied?.({\n      source: 'write',",
    replace: "    this.#deps.onApplied?.({\n      source: 'write',",
    faults: 'default',
    expected: ['read-your-writes'],
  },
  {
    id: 'snapshot-replaces-replica',
    title: 'a snapshot replaces the replica instead of joining it',
    consequence:
      'after a gateway restart that lost unflushed writes, rows go back to older values and vanish mid-snapshot',
    file: 'src/client/sync-round.ts',
    find: '    for (const delta of response.deltas) context.replica.merge(delta);',
    replace:
      '    if (response.snapshot && position.snapshotOffset === 0) (context.replica.states() as Map<string, unknown>).clear();\n    for (const delta of response.deltas) context.replica.merge(delta);',
    faults: 'default',
    expected: ['monotonic-reads'],
  },
  {
    id: 'claim-returns-sending',
    title: 'claim also returns an entry already being sent',
    consequence:
      'two tabs (or two overlapping rounds) send the same delta at once; with a hole in a batch the gateway drops writes',
    file: 'src/queue/memory-queue.ts',
    find: '    return Ok({ entries: run.map((slot) => this.#snapshot(slot)), baseHlc });',
    replace:
      "    const busy = this.#all.toArray().filter((slot) => slot.status === 'sending' && !run.includes(slot)).slice(0, 1);\n    return Ok({ entries: [...busy, ...run].map((slot) => this.#snapshot(slot)), baseHlc });",
    faults: 'default',
    expected: ['outbox-claims'],
  },
  {
    id: 'pull-includes-cursor',
    title: 'pull returns the entry at the cursor as well as those after it',
    consequence:
      'every page re-sends the last delta the client already has: wasted bandwidth that every idempotency oracle forgives',
    file: 'src/gateway/delta-log.ts',
    find: 'if (this.#ingest[mid]! <= cursor) low = mid + 1;',
    replace: 'if (this.#ingest[mid]! < cursor) low = mid + 1;',
    faults: 'default',
    expected: ['redelivery'],
  },
  {
    id: 'tiebreak-reversed-skewed',
    title: 'equal-HLC tie broken by the lower clientId, under skewed clocks',
    consequence:
      'replicas agree with each other but not with the documented rule; only conflict cohorts make equal HLCs when clocks are skewed',
    file: 'src/conflict/version.ts',
    find: 'return clientIdA < clientIdB ? -1 : 1;',
    replace: 'return clientIdA < clientIdB ? 1 : -1;',
    faults: 'default',
    expected: ['model-agreement'],
  },
];
