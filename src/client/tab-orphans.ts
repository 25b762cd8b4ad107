import type { SyncQueue } from '../queue/types';
import type { LakeSyncError } from '../result/errors';
import { Ok, type Result } from '../result/result';

/**
 * Moves every `sending` entry of a shared outbox back to `pending`; returns how many. Call it
 * only while holding the tabs' sync lock: then no round is in flight anywhere, so an entry still
 * marked sending was claimed by a tab that closed (or crashed) mid-round, and without this it
 * would never be pushed again. Pushing it again is safe: the gateway drops what it already holds.
 */
export async function resetOrphans(queue: SyncQueue): Promise<Result<number, LakeSyncError>> {
  const entries = await queue.entries();
  if (!entries.ok) return entries;
  const orphans = entries.value.filter((entry) => entry.status === 'sending').map((e) => e.id);
  if (orphans.length === 0) return Ok(0);
  const reset = await queue.nack(orphans);
  return reset.ok ? Ok(orphans.length) : reset;
}
