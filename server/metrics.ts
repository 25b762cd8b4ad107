import type { GatewayStats } from '../src/gateway/gateway';
import { HLC } from '../src/hlc/hlc';
import type { HLCTimestamp } from '../src/hlc/types';

/** Distinct refusal codes counted separately; any further code is counted as `OTHER` (bounded label set). */
export const METRIC_CODES_MAX = 64;

/** What the gateway looks like when the metrics are scraped. */
export interface GatewaySnapshot {
  readonly stats: GatewayStats;
  /** The latest HLC the gateway issued or observed. */
  readonly lastHlc: HLCTimestamp;
  /** The gateway instance's HLC at start (everything before it was recovered from the lake). */
  readonly epoch: HLCTimestamp;
}

/**
 * Request counters of one server, rendered with the gateway's own stats in the Prometheus text
 * exposition format (version 0.0.4).
 */
export class ServerMetrics {
  #pushes = 0;
  #pulls = 0;
  #deltasAccepted = 0;
  readonly #rejections = new Map<string, number>();

  /** A push request that reached the gateway (accepted or refused by it). */
  countPush(deltas: number, accepted: boolean): void {
    this.#pushes++;
    if (accepted) this.#deltasAccepted += deltas;
  }

  /** A pull request that reached the gateway. */
  countPull(): void {
    this.#pulls++;
  }

  /** A refused request, by its `ErrorReply` code (HTTP-layer refusals included). */
  countRejection(code: string): void {
    const label =
      this.#rejections.has(code) || this.#rejections.size < METRIC_CODES_MAX ? code : 'OTHER';
    this.#rejections.set(label, (this.#rejections.get(label) ?? 0) + 1);
  }

  /** The Prometheus text for the counters and `snapshot`. */
  render(snapshot: GatewaySnapshot): string {
    const { stats } = snapshot;
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: readonly string[]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    metric('lakesync_pushes_total', 'counter', 'Push requests that reached the gateway.', [
      `lakesync_pushes_total ${this.#pushes}`,
    ]);
    metric('lakesync_pulls_total', 'counter', 'Pull requests that reached the gateway.', [
      `lakesync_pulls_total ${this.#pulls}`,
    ]);
    metric('lakesync_push_deltas_total', 'counter', 'Deltas in accepted pushes.', [
      `lakesync_push_deltas_total ${this.#deltasAccepted}`,
    ]);
    const codes = [...this.#rejections].sort(([a], [b]) => (a < b ? -1 : 1));
    metric(
      'lakesync_rejections_total',
      'counter',
      'Refused requests by ErrorReply code.',
      codes.map(
        ([code, count]) => `lakesync_rejections_total{code="${escapeLabel(code)}"} ${count}`,
      ),
    );
    metric('lakesync_buffer_bytes', 'gauge', 'Unflushed bytes held by the gateway.', [
      `lakesync_buffer_bytes ${stats.unflushedBytes}`,
    ]);
    metric('lakesync_buffer_deltas', 'gauge', 'Unflushed deltas held by the gateway.', [
      `lakesync_buffer_deltas ${stats.unflushedDeltas}`,
    ]);
    metric('lakesync_flushes_total', 'counter', 'Flushes to the lake by outcome.', [
      `lakesync_flushes_total{outcome="ok"} ${stats.flushesOk}`,
      `lakesync_flushes_total{outcome="failed"} ${stats.flushesFailed}`,
    ]);
    metric(
      'lakesync_durable_hlc_lag_ms',
      'gauge',
      'Wall-clock ms between the newest HLC and the durable HLC; 0 when nothing is unflushed.',
      [`lakesync_durable_hlc_lag_ms ${durableLagMs(snapshot)}`],
    );
    return `${lines.join('\n')}\n`;
  }
}

/** How far durability trails the gateway's clock; unflushed work since the epoch counts from it. */
export function durableLagMs(snapshot: GatewaySnapshot): number {
  if (snapshot.stats.unflushedDeltas === 0) return 0;
  const floorMs = Math.max(
    HLC.decode(snapshot.stats.durableHlc).wall,
    HLC.decode(snapshot.epoch).wall,
  );
  return Math.max(0, HLC.decode(snapshot.lastHlc).wall - floorMs);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
