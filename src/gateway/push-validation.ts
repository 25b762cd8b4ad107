import type { RowDelta } from '../delta/types';
import { validateDelta } from '../delta/validate';
import { HLC } from '../hlc/hlc';
import type { SyncPush } from '../proto/types';
import { ClockDriftError, type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { GatewayOptions } from './options';

/**
 * Checks a whole push before anything from it is applied: batch size, each delta's shape and
 * identity (a forged `deltaId` is refused, so nobody can suppress another write by reusing its
 * id), that every delta belongs to the pushing client, that HLCs strictly increase (the client's
 * own order), and that no HLC is further ahead of the gateway's wall clock than the drift limit.
 */
export function validatePush(
  push: SyncPush,
  wallMs: number,
  options: GatewayOptions,
): Result<readonly RowDelta[], LakeSyncError> {
  if (push.clientId.length === 0) return Err(new SchemaError('push has an empty clientId'));
  if (push.deltas.length > options.pushBatchMax) {
    return Err(
      new SchemaError(
        `push of ${push.deltas.length} deltas exceeds pushBatchMax ${options.pushBatchMax}`,
      ),
    );
  }
  let previous = HLC.ZERO;
  for (const [position, delta] of push.deltas.entries()) {
    const valid = validateDelta(delta);
    if (!valid.ok) return Err(new SchemaError(`push delta ${position}: ${valid.error.message}`));
    if (delta.clientId !== push.clientId) {
      return Err(
        new SchemaError(
          `push delta ${position} belongs to client ${JSON.stringify(delta.clientId)}, not the pusher ${JSON.stringify(push.clientId)}`,
        ),
      );
    }
    if (delta.hlc <= previous) {
      return Err(
        new SchemaError(`push delta ${position}: HLCs must strictly increase within a push`),
      );
    }
    previous = delta.hlc;
    const aheadMs = Number(delta.hlc >> 16n) - wallMs; // the HLC's 48-bit wall part
    if (aheadMs > options.maxDriftMs) {
      return Err(
        new ClockDriftError(
          `push delta ${position} is ${aheadMs} ms ahead of the gateway clock (limit ${options.maxDriftMs} ms)`,
        ),
      );
    }
  }
  return Ok(push.deltas);
}
