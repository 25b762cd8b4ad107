import type { RowDelta } from '../../src/delta/types';
import { describeDelta } from './describe';
import type { LakeEnvelope } from './lake-contents';

/**
 * Oracle 2, idempotency: no `deltaId` appears twice in the gateway's retained log, nor twice
 * across all the lake's envelopes (re-pushes, duplicate deliveries and re-flushes must be
 * absorbed). Returns one message per duplicated id.
 */
export function checkIdempotency(
  logDeltas: readonly RowDelta[],
  envelopes: readonly LakeEnvelope[],
): string[] {
  const messages: string[] = [];
  const inLog = new Map<string, number>();
  for (const delta of logDeltas) {
    const count = (inLog.get(delta.deltaId) ?? 0) + 1;
    inLog.set(delta.deltaId, count);
    if (count === 2)
      messages.push(`delta ${describeDelta(delta)} appears more than once in the gateway log`);
  }
  const inLake = new Map<string, string>();
  for (const { key, envelope } of envelopes) {
    for (const delta of envelope.deltas) {
      const firstKey = inLake.get(delta.deltaId);
      if (firstKey === undefined) inLake.set(delta.deltaId, key);
      else
        messages.push(
          `delta ${describeDelta(delta)} is in the lake twice: in ${firstKey} and in ${key}`,
        );
    }
  }
  return messages;
}
