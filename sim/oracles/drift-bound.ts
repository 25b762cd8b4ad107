import { HLC } from '../../src/hlc/hlc';
import { decodeSyncPush, decodeSyncResponse } from '../../src/proto/codec';

/**
 * Part of oracle 5 (HLC sanity): the gateway must never accept a delta whose HLC wall is more
 * than `maxDriftMs` ahead of its own wall clock when it accepts it. Checked on every push the
 * gateway answered without an error, from the bytes that crossed the wire. Catches drift checked
 * against the wrong reference (the gateway's last HLC, which one fast client can ratchet forward).
 * Returns a description of the first offending delta, or `null`.
 */
export function driftProblem(
  request: Uint8Array,
  reply: Uint8Array,
  gatewayWallMs: number,
  maxDriftMs: number,
): string | null {
  const response = decodeSyncResponse(reply);
  if (!response.ok || response.value.error !== null) return null;
  const push = decodeSyncPush(request);
  if (!push.ok) return null;
  for (const delta of push.value.deltas) {
    const aheadMs = HLC.decode(delta.hlc).wall - gatewayWallMs;
    if (aheadMs > maxDriftMs) {
      return (
        `gateway accepted delta ${delta.deltaId.slice(0, 12)} of ${delta.clientId} stamped ` +
        `${aheadMs} ms ahead of its wall clock (limit ${maxDriftMs} ms)`
      );
    }
  }
  return null;
}
