import { describe, expect, it } from 'vitest';
import { delta, hlc } from '../../../src/queue/__tests__/fixtures';
import { MemoryQueue } from '../../../src/queue/memory-queue';
import type { QueueEntry } from '../../../src/queue/types';
import { Ok, unwrapOrThrow } from '../../../src/result/result';
import { ClaimWatchQueue } from '../outbox-claims';

describe('outbox-claims oracle', () => {
  it('stays quiet while two loops claim, ack and nack disjoint batches', async () => {
    const problems: string[] = [];
    const queue = new ClaimWatchQueue(new MemoryQueue(), (message) => problems.push(message));
    for (let n = 1; n <= 6; n++) unwrapOrThrow(await queue.push(delta(n)));
    const first = unwrapOrThrow(await queue.claim(2));
    const second = unwrapOrThrow(await queue.claim(2));
    unwrapOrThrow(await queue.nack(first.map((entry) => entry.id)));
    unwrapOrThrow(await queue.ack(second.map((entry) => entry.id)));
    unwrapOrThrow(await queue.claim(10));
    unwrapOrThrow(await queue.removeDurable(hlc(6)));
    expect(problems).toEqual([]);
  });

  it('reports a claim that hands out an entry already being sent, once', async () => {
    const problems: string[] = [];
    const inner = new MemoryQueue();
    unwrapOrThrow(await inner.push(delta(1)));
    const [entry] = unwrapOrThrow(await inner.claim(1)) as QueueEntry[];
    // A broken queue: every claim returns the same entry.
    inner.claim = async () => Ok([entry as QueueEntry]);
    const queue = new ClaimWatchQueue(inner, (message) => problems.push(message));
    unwrapOrThrow(await queue.claim(1));
    unwrapOrThrow(await queue.claim(1));
    unwrapOrThrow(await queue.claim(1));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/already being sent/);
  });
});
