import { HLC } from '../../src/hlc/hlc';
import { decodeSyncPush } from '../../src/proto/codec';
import type { SyncResponse } from '../../src/proto/types';

/** Shifting an HLC right by this leaves its wall part (ms). */
const WALL_SHIFT = BigInt(HLC.COUNTER_BITS);

/**
 * Part of oracle 5 (HLC sanity): the gateway must never accept a delta whose HLC wall is more
 * than `maxDriftMs` ahead of its own wall clock when it accepts it. Checked on every push the
 * gateway answered without an error, from the bytes that crossed the wire. Catches drift checked
 * against the wrong reference (the gateway's last HLC, which one fast client can ratchet forward).
 * `response` is the reply decoded (`null` if it did not decode). Returns a description of the first
 * offending delta, or `null`.
 */
export function driftProblem(
  request: Uint8Array,
  response: SyncResponse | null,
  gatewayWallMs: number,
  maxDriftMs: number,
): string | null {
  if (response === null || response.error !== null) return null;
  const push = decodeSyncPush(request);
  if (!push.ok) return null;
  for (const delta of push.value.deltas) {
    // The wall part, as `HLC.decode(delta.hlc).wall` gives it, without an object per delta (a
    // decoded push's stamps are 64-bit, so decode's range check cannot fire).
    const aheadMs = Number(delta.hlc >> WALL_SHIFT) - gatewayWallMs;
    if (aheadMs > maxDriftMs) {
      return (
        `gateway accepted delta ${delta.deltaId.slice(0, 12)} of ${delta.clientId} stamped ` +
        `${aheadMs} ms ahead of its wall clock (limit ${maxDriftMs} ms)`
      );
    }
  }
  return null;
}

/**
 * Part of oracle 5 (ADR-013): a client absorbs every HLC the gateway sends, and that must never
 * make its stamps too far ahead for the gateway. The only stamps the gateway may refuse for drift
 * are those whose wall part is the client's *own* clock running more than `maxDriftMs` ahead of
 * the gateway's. `noteWrite` records, at each write (the only moment a client stamps), how far
 * the client's clock was ahead; a push refused with `CLOCK_DRIFT` from a client that was never
 * that far ahead means an absorbed stamp went past the bound.
 */
export class OwnClockWatch {
  readonly #maxAheadMs = new Map<number, number>();
  readonly #reported = new Set<number>();

  /** A write is about to be stamped while the client's clock is `aheadMs` ahead of the gateway's. */
  noteWrite(client: number, aheadMs: number): void {
    const previous = this.#maxAheadMs.get(client);
    if (previous === undefined || aheadMs > previous) this.#maxAheadMs.set(client, aheadMs);
  }

  /**
   * Checks a push the gateway answered (its reply decoded, `null` if it did not decode); a message
   * when its drift refusal is not the client's clock.
   */
  refusal(client: number, response: SyncResponse | null, maxDriftMs: number): string | null {
    const aheadMs = this.#maxAheadMs.get(client) ?? Number.NEGATIVE_INFINITY;
    if (aheadMs > maxDriftMs || this.#reported.has(client)) return null;
    if (response === null || response.error?.code !== 'CLOCK_DRIFT') return null;
    this.#reported.add(client);
    return (
      `gateway refused a push of client-${client} for drift (${response.error.message}), ` +
      `yet its own clock was never more than ${aheadMs} ms ahead of the gateway's when it wrote: ` +
      'a stamp it absorbed from the gateway went past the bound'
    );
  }
}
