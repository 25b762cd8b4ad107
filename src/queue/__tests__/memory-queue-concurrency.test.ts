import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../memory-queue';
import { delta, hlc, ok } from './fixtures';

/**
 * The outbox contract under concurrent loops (two tabs, overlapping rounds): claims started at
 * the same time never share an entry, settling one loop's batch never touches the other's, and
 * every entry ends up sent exactly once per claim.
 */
describe('MemoryQueue under concurrent claimers', () => {
  it('hands every entry to exactly one of many claims started together', async () => {
    const queue = new MemoryQueue();
    for (let n = 1; n <= 50; n++) ok(await queue.push(delta(n)));
    const claims = await Promise.all([3, 7, 1, 10, 4, 50].map((limit) => queue.claim(limit)));
    const ids = claims.flatMap((claim) => ok(claim).map((entry) => entry.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(50);
  });

  it('keeps another loop’s batch sending while one loop acks, nacks and re-claims', async () => {
    const queue = new MemoryQueue();
    for (let n = 1; n <= 6; n++) ok(await queue.push(delta(n)));
    const [a, b] = await Promise.all([queue.claim(2), queue.claim(2)]);
    const mine = ok(a).map((entry) => entry.id);
    const theirs = ok(b).map((entry) => entry.id);
    ok(await queue.nack(mine));
    const again = ok(await queue.claim(10)).map((entry) => entry.id);
    expect(again.some((id) => theirs.includes(id))).toBe(false);
    expect(again).toEqual([
      ...mine,
      ...ok(await queue.entries())
        .slice(4)
        .map((entry) => entry.id),
    ]);
    ok(await queue.ack(theirs));
    const statuses = ok(await queue.entries()).map((entry) => entry.status);
    expect(statuses).toEqual(['sending', 'sending', 'accepted', 'accepted', 'sending', 'sending']);
    expect(ok(await queue.removeDurable(hlc(6)))).toBe(6);
    expect(ok(await queue.claim(10))).toEqual([]);
  });
});
