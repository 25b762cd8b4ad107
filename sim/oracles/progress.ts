/**
 * The progress oracle (ADR-017): a client whose link and clock are within bounds completes a sync
 * round within `progressBoundMs`. It judges the run while it happens, so damage that heals before
 * the end — a client that keeps discarding replies, or sits idle while others progress — is caught
 * even when the final state converges.
 *
 * "Within bounds" for a client, at a moment: its process is up, the gateway is serving, it is
 * neither offline nor partitioned, its clock is within `maxDriftMs - CLOCK_MARGIN_MS` of the
 * gateway's (both ways) and no stamp it issued is further ahead, and no fault touched it (a lost
 * message, a refusal, a restart, a skew …). A window of bounded time starts at the last moment it
 * was out of bounds or made progress; the oracle fires when a window grows past the bound.
 *
 * "Completes a sync round" is read from the client's counters: `rounds - roundsFailed` rises when a
 * round starts and falls back when it fails, so a rise of two above the window's lowest value
 * proves at least one round started inside the window finished well.
 */

/** Clock headroom under the drift limit: a push in flight must still pass the gateway's check. */
export const CLOCK_MARGIN_MS = 1_000;

/**
 * Requests one healthy round needs at most in the simulator's scenarios (pushes of a backlog,
 * pages of a pull or snapshot), for the bound below.
 */
export const ROUND_REQUESTS_BOUND = 8;

/** The client and link timings the bound is made of (DESIGN.md section 5). */
export interface ProgressTimings {
  /** Pause between rounds of the client's loop. */
  readonly syncIntervalMs: number;
  /** Longest backoff after a failed round. */
  readonly retryDelayMsMax: number;
  /** Longest one-way network latency of the run. */
  readonly latencyMsMax: number;
}

/**
 * The progress bound: one capped backoff (the round that failed when the window began), then two
 * full rounds (the counter rule needs a second round to start), each a sync interval plus
 * `ROUND_REQUESTS_BOUND` round trips at the run's worst latency.
 *
 *   bound = retryDelayMsMax + 2 × (syncIntervalMs + ROUND_REQUESTS_BOUND × 2 × latencyMsMax)
 *
 * With the simulator's client options (2 s interval, 4 s backoff cap) that is 14.4 s at the
 * `default` profile's 200 ms latency and 40 s at `chaos`'s 1 s.
 */
export function progressBoundMs(timings: ProgressTimings): number {
  const roundMs = timings.syncIntervalMs + ROUND_REQUESTS_BOUND * 2 * timings.latencyMsMax;
  return timings.retryDelayMsMax + 2 * roundMs;
}

/** What the oracle reads about one client at a monitor tick. */
export interface ClientReading {
  /** Process up and gateway serving and not cut off and clock within bounds. */
  readonly inBounds: boolean;
  /** `rounds - roundsFailed` over the client's incarnations, or `null` while it is down. */
  readonly roundsNet: number | null;
}

interface Window {
  startMs: number;
  low: number | null;
  reported: boolean;
}

/** Per-client windows of bounded time; one violation per client per run at most. */
export class ProgressOracle {
  readonly boundMs: number;
  readonly #windows: Window[] = [];

  constructor(clients: number, boundMs: number) {
    this.boundMs = boundMs;
    for (let client = 0; client < clients; client++)
      this.#windows.push({ startMs: 0, low: null, reported: false });
  }

  /** A fault touched `client` at `nowMs`: its window starts again. */
  reset(client: number, nowMs: number): void {
    const window = this.#windows[client];
    if (window === undefined) return;
    window.startMs = nowMs;
    window.low = null;
  }

  /** A fault touched every client (a gateway restart, a partition). */
  resetAll(nowMs: number): void {
    for (let client = 0; client < this.#windows.length; client++) this.reset(client, nowMs);
  }

  /** Judges every client at a tick; returns the violations found (messages). */
  tick(nowMs: number, read: (client: number) => ClientReading): string[] {
    const problems: string[] = [];
    this.#windows.forEach((window, client) => {
      const reading = read(client);
      if (!reading.inBounds || reading.roundsNet === null) {
        window.startMs = nowMs;
        window.low = reading.roundsNet;
        return;
      }
      const net = reading.roundsNet;
      if (window.low === null || net < window.low) window.low = net;
      if (net >= window.low + 2) {
        window.startMs = nowMs;
        window.low = net;
        return;
      }
      const spanMs = nowMs - window.startMs;
      if (spanMs <= this.boundMs || window.reported) return;
      window.reported = true;
      problems.push(
        `client-${client} completed no sync round for ${spanMs} ms (${window.startMs}..${nowMs} ms) ` +
          `while its link and clock were within bounds (progress bound ${this.boundMs} ms)`,
      );
    });
    return problems;
  }
}
