import type { HLCTimestamp } from '../hlc/types';
import { QueueError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { checkDeltaShape, checkHlc } from './outbox-entry';
import type { QueueEntry, QueueEntryStatus } from './types';

/**
 * A copy of an outbox's durable state at one moment, as a backup of the device would hold it:
 * every entry with its status, `seq` and `retryCount`, the remembered `lastHlc`, and the next
 * `seq`. For tests and the simulator's restore from backup (ADR-021): an outbox restored from it
 * is the outbox as it was then, whatever happened to it since. Plain frozen data.
 */
export interface QueueCheckpoint {
  /** Every entry, in push order (frozen snapshots). */
  readonly entries: readonly QueueEntry[];
  readonly lastHlc: HLCTimestamp | null;
  /** The `seq` the next pushed entry takes: above every entry's. */
  readonly nextSeq: number;
}

const STATUSES: readonly QueueEntryStatus[] = ['pending', 'sending', 'accepted'];

/**
 * Checks that `checkpoint` describes an outbox a queue bounded by `entriesMax` could hold:
 * entries with distinct ids equal to their `deltaId`, valid statuses and retry counts, `seq`
 * strictly rising and below `nextSeq`, and a 64-bit `lastHlc` at or above every entry's HLC
 * (`null` only with no entries).
 * `QueueError` naming the first problem otherwise.
 */
export function checkCheckpoint(
  checkpoint: QueueCheckpoint,
  entriesMax: number,
): Result<QueueCheckpoint, QueueError> {
  const { entries, lastHlc, nextSeq } = checkpoint;
  if (!Array.isArray(entries)) return Err(new QueueError('checkpoint entries must be an array'));
  if (entries.length > entriesMax) {
    return Err(new QueueError(`checkpoint holds ${entries.length} entries, over ${entriesMax}`));
  }
  if (lastHlc === null && entries.length > 0) {
    return Err(new QueueError('checkpoint has entries but no lastHlc'));
  }
  if (lastHlc !== null) {
    const checked = checkHlc(lastHlc, 'checkpoint lastHlc');
    if (!checked.ok) return checked;
  }
  const ids = new Set<string>();
  let previousSeq = 0;
  for (const entry of entries) {
    const shape = checkDeltaShape(entry.delta);
    if (!shape.ok) return shape;
    if (lastHlc !== null && entry.delta.hlc > lastHlc) {
      return Err(new QueueError(`checkpoint entry ${entry.id} is stamped above its lastHlc`));
    }
    if (entry.id !== entry.delta.deltaId || ids.has(entry.id)) {
      return Err(new QueueError(`checkpoint entry ${entry.id} is listed twice or mislabelled`));
    }
    ids.add(entry.id);
    if (!STATUSES.includes(entry.status)) {
      return Err(new QueueError(`checkpoint entry ${entry.id} has status ${entry.status}`));
    }
    if (!Number.isSafeInteger(entry.retryCount) || entry.retryCount < 0) {
      return Err(new QueueError(`checkpoint entry ${entry.id} has retryCount ${entry.retryCount}`));
    }
    if (!Number.isSafeInteger(entry.seq) || entry.seq <= previousSeq || entry.seq >= nextSeq) {
      return Err(new QueueError(`checkpoint entry ${entry.id} is out of seq order`));
    }
    previousSeq = entry.seq;
  }
  return Ok(checkpoint);
}
