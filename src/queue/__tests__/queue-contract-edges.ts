import { expect, it } from 'vitest';
import type { RowDelta } from '../../delta/types';
import type { HLCTimestamp } from '../../hlc/types';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';
import type { QueueFactory } from './queue-contract';

/** The contract at its edges: the bound, bad input, snapshots, odd ids, wide HLCs, volume. */
export function defineEdgeContract(open: QueueFactory): void {
  it('holds exactly entriesMax entries and refuses one more, naming the limit', async () => {
    const queue = await open({ entriesMax: 3 });
    await pushAll(queue, [1, 2, 3]);
    expectQueueError(await queue.push(delta(4)), /entriesMax \(3\)/);
    expect(ok(await queue.depth())).toBe(3);
    expect(ok(await queue.lastHlc())).toBe(hlc(3));
    expect(ok(await queue.push(delta(2))).id).toBe(idOf(2));
    ok(await queue.removeDurable(hlc(1)));
    expect(ok(await queue.push(delta(4))).status).toBe('pending');
    expectQueueError(await queue.push(delta(5)), /entriesMax/);
  });

  it('refuses bad limits, ids and watermarks with QueueError and changes nothing', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    for (const limit of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectQueueError(await queue.peek(limit), /limit/);
      expectQueueError(await queue.claim(limit), /limit/);
    }
    const notIds = 'abc' as unknown as string[];
    expectQueueError(await queue.markSending(notIds), /array/);
    expectQueueError(await queue.ack([1 as unknown as string]), /strings/);
    expectQueueError(await queue.nack(notIds), /array/);
    for (const bad of [-1n, 1n << 64n, 5 as unknown as bigint]) {
      expectQueueError(await queue.removeDurable(bad as HLCTimestamp), /durableHlc/);
      expectQueueError(await queue.reopen(bad as HLCTimestamp), /acceptedHlc/);
    }
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'pending'],
      [idOf(2), 'pending'],
    ]);
  });

  it('refuses malformed and uncloneable deltas without queueing anything', async () => {
    const queue = await open();
    expectQueueError(await queue.push(delta(1, { deltaId: '' })), /deltaId/);
    expectQueueError(await queue.push(delta(1, { hlc: 1 as unknown as HLCTimestamp })), /hlc/);
    expectQueueError(await queue.push(delta(1, { hlc: hlc(-1) })), /hlc/);
    expectQueueError(await queue.push(null as unknown as RowDelta), /not a delta/);
    const withFunction = delta(1, { columns: [{ column: 'x', value: () => 1 }] });
    expectQueueError(await queue.push(withFunction), /cloneable/);
    expect(ok(await queue.depth())).toBe(0);
    expect(ok(await queue.lastHlc())).toBeNull();
  });

  it('hands out frozen snapshots that neither caller nor pusher can change', async () => {
    const queue = await open();
    const input = delta(1) as unknown as { columns: Array<{ column: string; value: unknown }> };
    const pushed = ok(await queue.push(input as unknown as RowDelta));
    input.columns[0]!.value = 'changed by the pusher';
    const [entry] = ok(await queue.entries());
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry!.delta.columns[0]!.value)).toBe(true);
    expect(() => {
      (entry as { status: string }).status = 'accepted';
    }).toThrow(TypeError);
    expect(entry!.delta.columns[0]!.value).toEqual(delta(1).columns[0]!.value);
    ok(await queue.claim(1));
    expect(pushed.status).toBe('pending');
    expect(ok(await queue.entries())[0]!.status).toBe('sending');
  });

  it('accepts any string as an id, including prototype names and path characters', async () => {
    const queue = await open();
    const odd = ['__proto__', 'constructor', '../../etc/passwd', 'a/b\\c', 'hasOwnProperty'];
    for (const [index, id] of odd.entries())
      ok(await queue.push(delta(index + 1, { deltaId: id })));
    expect(ids(ok(await queue.claim(10)))).toEqual(odd);
    ok(await queue.ack(['__proto__']));
    expect(ok(await queue.entries())[0]).toMatchObject({ id: '__proto__', status: 'accepted' });
  });

  it('orders the full 64-bit HLC range correctly for removeDurable and reopen', async () => {
    const queue = await open();
    const top = (1n << 64n) - 1n;
    const stamps = [1n << 63n, 1n << 40n, top, 255n, 256n];
    for (const [index, stamp] of stamps.entries()) {
      ok(await queue.push(delta(index + 1, { hlc: hlc(stamp) })));
    }
    ok(await queue.claim(5));
    ok(await queue.ack([1, 2, 3, 4, 5].map(idOf)));
    expect(ok(await queue.reopen(hlc(255n)))).toBe(4);
    expect(ok(await queue.removeDurable(hlc(1n << 50n)))).toBe(3);
    expect(ok(await queue.entries()).map((entry) => entry.delta.hlc)).toEqual([1n << 63n, top]);
    expect(ok(await queue.lastHlc())).toBe(top);
  });

  it('stays exact with thousands of accepted entries in front of the pending ones', async () => {
    const queue = await open();
    const total = 2_000;
    await pushAll(
      queue,
      Array.from({ length: total }, (_, index) => index + 1),
    );
    for (let round = 0; round < total / 250; round++) {
      ok(await queue.ack(ids(ok(await queue.claim(250)))));
    }
    await pushAll(queue, [total + 1, total + 2, total + 3]);
    ok(await queue.claim(1));
    ok(await queue.nack([idOf(total + 1)]));
    expect(ids(ok(await queue.peek(2)))).toEqual([idOf(total + 1), idOf(total + 2)]);
    expect(ok(await queue.reopen(hlc(total - 2)))).toBe(2);
    expect(ids(ok(await queue.peek(3)))).toEqual([total - 1, total, total + 1].map(idOf));
    expect(ok(await queue.removeDurable(hlc(total)))).toBe(total);
    expect(ok(await queue.depth())).toBe(3);
  });
}
