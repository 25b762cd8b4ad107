import type { RowDelta } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { SyncPush } from '../proto/types';
import { ClockDriftError, type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { GatewayOptions } from './options';
import { pushedDeltaShapeProblem } from './push-verify';

/**
 * Checks a whole push before anything from it is acknowledged: batch size, each delta's shape
 * (everything `validateDelta` checks except the `deltaId`, which the buffer verifies before the
 * delta reaches the log, the index or the lake: ADR-016), that every delta belongs to the pushing
 * client, that HLCs strictly increase (the client's own order), and that no HLC is further ahead
 * of the gateway's wall clock than the drift limit.
 */
export function validatePush(
  push: SyncPush,
  wallMs: number,
  options: GatewayOptions,
): Result<readonly RowDelta[], LakeSyncError> {
  if (push.clientId.length === 0) return Err(new SchemaError('push has an empty clientId'));
  const deltas = push.deltas;
  if (deltas.length > options.pushBatchMax) {
    return Err(
      new SchemaError(
        `push of ${deltas.length} deltas exceeds pushBatchMax ${options.pushBatchMax}`,
      ),
    );
  }
  const aheadLimit = driftLimitHlc(wallMs, options.maxDriftMs);
  let previous = HLC.ZERO;
  for (let position = 0; position < deltas.length; position++) {
    const delta = deltas[position]!;
    const problem = pushedDeltaShapeProblem(delta);
    if (problem !== null) return Err(new SchemaError(`push delta ${position}: ${problem}`));
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
    if (aheadLimit !== null && delta.hlc > aheadLimit) {
      const aheadMs = Number(delta.hlc >> 16n) - wallMs; // the HLC's 48-bit wall part
      return Err(
        new ClockDriftError(
          `push delta ${position} is ${aheadMs} ms ahead of the gateway clock (limit ${options.maxDriftMs} ms)`,
        ),
      );
    }
  }
  return Ok(deltas);
}

/**
 * The highest HLC whose wall part is at most `maxDriftMs` ahead of `wallMs` (so one bigint
 * comparison per delta replaces a shift and a subtraction); `null` when every 64-bit HLC is.
 */
function driftLimitHlc(wallMs: number, maxDriftMs: number): HLCTimestamp | null {
  const wallMax = Math.floor(wallMs + maxDriftMs);
  if (!(wallMax < HLC.WALL_MAX)) return null;
  return HLC.encode(Math.max(0, wallMax), HLC.COUNTER_MAX);
}
