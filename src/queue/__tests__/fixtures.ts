import { expect } from 'vitest';
import type { RowDelta } from '../../delta/types';
import type { HLCTimestamp } from '../../hlc/types';
import { QueueError } from '../../result/errors';
import { type Result, unwrapOrThrow } from '../../result/result';
import type { QueueEntry, SyncQueue } from '../types';

/** `n` as an HLC. */
export const hlc = (n: number | bigint): HLCTimestamp => BigInt(n) as HLCTimestamp;

/** A 64-hex-character id for delta number `n` (the queue does not recompute delta ids). */
export const idOf = (n: number): string => n.toString(16).padStart(64, '0');

/** Delta number `n`, stamped `hlc(n)` unless overridden. */
export function delta(n: number, overrides: Partial<RowDelta> = {}): RowDelta {
  return {
    op: 'UPDATE',
    table: 'todos',
    rowId: `row-${n}`,
    clientId: 'client-a',
    columns: [{ column: 'title', value: { text: `todo ${n}`, tags: ['a', 'b'] } }],
    hlc: hlc(n),
    deltaId: idOf(n),
    ...overrides,
  };
}

/** The value of an `Ok`; fails the test on `Err`. */
export const ok = <T>(result: Result<T, unknown>): T => unwrapOrThrow(result);

/** Asserts `result` is an `Err(QueueError)` whose message matches `pattern`; returns the error. */
export function expectQueueError(result: Result<unknown, unknown>, pattern?: RegExp): QueueError {
  expect(result.ok).toBe(false);
  const error = result.ok ? undefined : result.error;
  expect(error).toBeInstanceOf(QueueError);
  const queueError = error as QueueError;
  expect(queueError.code).toBe('QUEUE_ERROR');
  if (pattern !== undefined) expect(queueError.message).toMatch(pattern);
  return queueError;
}

/** Pushes deltas numbered `numbers`, in that order; returns their ids. */
export async function pushAll(queue: SyncQueue, numbers: readonly number[]): Promise<string[]> {
  for (const n of numbers) ok(await queue.push(delta(n)));
  return numbers.map(idOf);
}

/** Every entry as `[id, status]`, in push order. */
export async function statuses(queue: SyncQueue): Promise<Array<[string, string]>> {
  return ok(await queue.entries()).map((entry): [string, string] => [entry.id, entry.status]);
}

/** The ids of `entries`. */
export const ids = (entries: readonly QueueEntry[]): string[] => entries.map((entry) => entry.id);
