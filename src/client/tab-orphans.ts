import type { SyncQueue } from '../queue/types';
import type { LakeSyncError } from '../result/errors';
import { Ok, type Result } from '../result/result';

/**
 * Moves every `sending` entry of a shared outbox back to `pending`, but those in `owned` (a batch
 * the caller itself is sending); returns how many. Call it only while no other loop over the
 * outbox has a round in flight (a tab holding the tabs' sync lock, or `SyncClient.releaseOrphans`):
 * then an entry still marked sending was claimed by a loop that closed (or crashed) mid-round, and
 * without this it would never be pushed again. Pushing it again is safe: the gateway drops what it
 * already holds.
 */
export async function resetOrphans(
  queue: SyncQueue,
  owned: ReadonlySet<string> = NONE_OWNED,
): Promise<Result<number, LakeSyncError>> {
  const entries = await queue.entries();
  if (!entries.ok) return entries;
  const orphans = entries.value
    .filter((entry) => entry.status === 'sending' && !owned.has(entry.id))
    .map((entry) => entry.id);
  if (orphans.length === 0) return Ok(0);
  const reset = await queue.nack(orphans);
  return reset.ok ? Ok(orphans.length) : reset;
}

const NONE_OWNED: ReadonlySet<string> = new Set();
