import type { PlantedBug } from './catalogue';

/**
 * Bugs only the states the simulator reaches on purpose expose (ADR-017): log trims, state-triggered
 * faults, and progress while the run is going. Each `find` is kept small so that nearby edits to the
 * code do not make it stale.
 */
export const REACH_BUGS: readonly PlantedBug[] = [
  {
    id: 'trim-floor-off-by-one',
    title: 'trim floor one trim behind (set from the old head)',
    consequence:
      'a client whose cursor was trimmed by the latest trim is served from the log instead of a snapshot and never receives the entries trimmed after its cursor',
    file: 'src/gateway/delta-log.ts',
    find: 'this.#ingest[newHead - 1]',
    replace: '(this.#head > 0 ? this.#ingest[this.#head - 1] : this.#floorHlc)',
    faults: 'trim',
    expected: ['convergence'],
  },
  {
    id: 'snapshot-continuation-across-restart',
    title: 'snapshot continuation honoured across gateway restarts',
    consequence:
      'a client that was mid-snapshot when the gateway restarted resumes at its row position with the new log head as cursor, so what changed in the rows it already had is never sent',
    file: 'src/gateway/gateway.ts',
    find: 'pull.snapshotOffset > 0 && pull.gatewayEpoch === this.epoch) {\n      return Ok(this.#snapshot(pull.clientId, pull.snapshotOffset, pull.sinceHlc, limit));',
    replace:
      'pull.snapshotOffset > 0) {\n      const resumed = pull.gatewayEpoch === this.epoch ? pull.sinceHlc : this.#buffer.lastIngestHlc();\n      return Ok(this.#snapshot(pull.clientId, pull.snapshotOffset, resumed, limit));',
    faults: 'trim',
    expected: ['convergence'],
  },
  {
    id: 'recovery-skips-unreadable-envelope',
    title: 'recovery skips an envelope it cannot read',
    consequence:
      'a gateway that restarts while one envelope is unreadable serves without its deltas: their rows go back in time and their writers are told nothing is missing',
    file: 'src/gateway/recovery.ts',
    find: '    if (!result.ok) return result;\n',
    replace: '    if (!result.ok) continue;\n',
    faults: 'trim',
    expected: ['convergence', 'durability'],
  },
  {
    id: 'client-idle-while-behind',
    title: 'a client whose clock is behind waits before syncing again',
    consequence:
      'a client a few seconds slow (inside the drift bound) syncs only every minute or so; it converges once its clock is corrected, so only the progress oracle sees it',
    file: 'src/client/sync-client.ts',
    find: '    if (this.#failures === 0) return this.#options.syncIntervalMs;',
    replace:
      '    if (this.#failures === 0) return this.#options.syncIntervalMs + 20 * Math.max(0, HLC.decode(this.#hlc.last()).wall - this.#deps.clock.now());',
    faults: 'default',
    expected: ['progress'],
  },
];
