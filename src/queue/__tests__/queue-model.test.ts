import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../result/result';
import { IdbQueue } from '../idb-queue';
import { MemoryQueue } from '../memory-queue';
import { OUTBOX_START, type OutboxMark, type QueueEntryStatus, type SyncQueue } from '../types';
import { delta, hlc, idOf, ok } from './fixtures';

/**
 * Random operation sequences run against a queue and against a plain array model of the
 * contract; after every operation their answers, entries (id, status, retries, order), depth and
 * lastHlc must agree. Keys are small so that ids repeat, the bound is hit and watermarks bite;
 * HLCs either rise with the key (the queue's ordered fast paths) or are scrambled (its full scans).
 * A second reader's `entriesSince` reads (another tab's merges) must give exactly the entries
 * pushed since its last read, and the mark the model expects.
 */

const KEYS = 10;
const ENTRIES_MAX = 6;

type Op =
  | { readonly kind: 'push'; readonly key: number }
  | { readonly kind: 'peek' | 'claim'; readonly limit: number }
  | { readonly kind: 'markSending' | 'ack' | 'nack'; readonly keys: readonly number[] }
  | { readonly kind: 'reopen' | 'removeDurable'; readonly watermark: number }
  | { readonly kind: 'clear' }
  /** A second reader (another tab) reads what was pushed since its last read (`entriesSince`). */
  | { readonly kind: 'since' }
  /** ack or nack the batch of the latest claim, as a client does after a push. */
  | { readonly kind: 'ackClaimed' | 'nackClaimed' };

interface ModelEntry {
  readonly id: string;
  readonly hlc: bigint;
  readonly seq: number;
  status: QueueEntryStatus;
  retryCount: number;
}

const keyArb = fc.integer({ min: 0, max: KEYS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: keyArb.map((key): Op => ({ kind: 'push', key })) },
  fc.record({ kind: fc.constantFrom('peek' as const, 'claim' as const), limit: fc.nat(4) }),
  fc.record({
    kind: fc.constantFrom('markSending' as const, 'ack' as const, 'nack' as const),
    keys: fc.array(keyArb, { maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom('reopen' as const, 'removeDurable' as const),
    watermark: fc.integer({ min: 0, max: KEYS + 1 }),
  }),
  { weight: 3, arbitrary: fc.constantFrom<Op>({ kind: 'ackClaimed' }, { kind: 'nackClaimed' }) },
  fc.constant<Op>({ kind: 'clear' }),
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'since' }) },
);
/** Per run: HLC of each key, either rising with the key or a random assignment (ties allowed). */
const hlcsArb = fc.oneof(
  fc.constant(Array.from({ length: KEYS }, (_, key) => key + 1)),
  fc.array(fc.integer({ min: 1, max: KEYS }), { minLength: KEYS, maxLength: KEYS }),
);

class Model {
  entries: ModelEntry[] = [];
  lastHlc: bigint | null = null;
  #nextSeq = 1;
  /** The id pushed at seq 1, and every seq the reader of `since` has read up to (0: none). */
  #incarnation: string | null = null;
  #readerSeq: number | null = null;

  constructor(private readonly hlcs: readonly number[]) {}

  /** The reader's next `entriesSince` mark: `OUTBOX_START` before its first read. */
  readerMark(): OutboxMark {
    if (this.#readerSeq === null) return OUTBOX_START;
    return { seq: this.#readerSeq, restamps: 0, incarnation: this.#incarnation };
  }

  /** The model's answer: `null` for an `Err`, else ids or a count. */
  apply(op: Op): string[] | number | null {
    switch (op.kind) {
      case 'push': {
        const id = idOf(op.key);
        if (this.entries.some((entry) => entry.id === id)) return [id];
        if (this.entries.length >= ENTRIES_MAX) return null;
        const stamp = BigInt(this.hlcs[op.key]!);
        if (this.#nextSeq === 1) this.#incarnation = id;
        this.entries.push({
          id,
          hlc: stamp,
          seq: this.#nextSeq++,
          status: 'pending',
          retryCount: 0,
        });
        if (this.lastHlc === null || stamp > this.lastHlc) this.lastHlc = stamp;
        return [id];
      }
      case 'peek':
      case 'claim': {
        const taken = this.entries.filter((entry) => entry.status === 'pending').slice(0, op.limit);
        if (op.kind === 'claim') for (const entry of taken) entry.status = 'sending';
        return taken.map((entry) => entry.id);
      }
      case 'markSending': {
        const targets = op.keys.map((key) => this.entries.find((entry) => entry.id === idOf(key)));
        if (targets.some((entry) => entry?.status !== 'pending')) return null;
        for (const entry of targets) entry!.status = 'sending';
        return 0;
      }
      case 'ack':
      case 'nack': {
        for (const entry of this.entries) {
          if (entry.status !== 'sending' || !op.keys.some((key) => idOf(key) === entry.id))
            continue;
          entry.status = op.kind === 'ack' ? 'accepted' : 'pending';
          if (op.kind === 'nack') entry.retryCount++;
        }
        return 0;
      }
      case 'reopen': {
        const lost = this.entries.filter(
          (e) => e.status === 'accepted' && e.hlc > BigInt(op.watermark),
        );
        for (const entry of lost) {
          entry.status = 'pending';
          entry.retryCount++;
        }
        return lost.length;
      }
      case 'removeDurable': {
        const before = this.entries.length;
        this.entries = this.entries.filter((entry) => entry.hlc > BigInt(op.watermark));
        return before - this.entries.length;
      }
      case 'clear':
        this.entries = [];
        return 0;
      case 'since': {
        const above = this.#readerSeq ?? 0;
        this.#readerSeq = this.#nextSeq - 1;
        return this.entries.filter((entry) => entry.seq > above).map((entry) => entry.id);
      }
      case 'ackClaimed':
      case 'nackClaimed':
        throw new Error(`${op.kind} is translated before it reaches the model`);
    }
  }
}

/** The queue's answer, in the model's terms. */
async function run(
  queue: SyncQueue,
  op: Op,
  hlcs: readonly number[],
  model: Model,
  reader: OutboxMark,
): Promise<string[] | number | null> {
  const answer = (result: Result<unknown, unknown>): string[] | number | null => {
    if (!result.ok) return null;
    const value = result.value;
    if (Array.isArray(value)) return value.map((entry: { id: string }) => entry.id);
    if (typeof value === 'number') return value;
    return op.kind === 'push' ? null : 0;
  };
  switch (op.kind) {
    case 'push': {
      const pushed = await queue.push(
        delta(op.key, { deltaId: idOf(op.key), hlc: hlc(hlcs[op.key]!) }),
      );
      return pushed.ok ? [pushed.value.id] : null;
    }
    case 'peek':
    case 'claim':
      return answer(await queue[op.kind](op.limit));
    case 'markSending':
    case 'ack':
    case 'nack':
      return answer(await queue[op.kind](op.keys.map(idOf)));
    case 'reopen':
    case 'removeDurable':
      return answer(await queue[op.kind](hlc(op.watermark)));
    case 'clear':
      return answer(await queue.clear());
    case 'since': {
      const read = await queue.entriesSince(reader);
      if (!read.ok) return null;
      // The queue's mark is the model's, incarnation included.
      expect(read.value.mark).toEqual(model.readerMark());
      return read.value.entries.map((entry) => entry.id);
    }
    case 'ackClaimed':
    case 'nackClaimed':
      throw new Error(`${op.kind} is translated before it reaches the queue`);
  }
}

async function agreeWithModel(queue: SyncQueue, hlcs: readonly number[], ops: readonly Op[]) {
  const model = new Model(hlcs);
  let claimedKeys: number[] = [];
  for (const [step, planned] of ops.entries()) {
    const op: Op =
      planned.kind === 'ackClaimed' || planned.kind === 'nackClaimed'
        ? { kind: planned.kind === 'ackClaimed' ? 'ack' : 'nack', keys: claimedKeys }
        : planned;
    const where = `step ${step} ${JSON.stringify(op)}`;
    const reader = model.readerMark();
    const expected = model.apply(op);
    expect(await run(queue, op, hlcs, model, reader), where).toEqual(expected);
    if (op.kind === 'claim')
      claimedKeys = (expected as string[]).map((id) => Number.parseInt(id, 16));
    const actual = ok(await queue.entries()).map((e) => [e.id, e.status, e.retryCount, e.seq]);
    const modelled = model.entries.map((e) => [e.id, e.status, e.retryCount, e.seq]);
    expect(actual, where).toEqual(modelled);
    expect(ok(await queue.depth()), where).toBe(model.entries.length);
    expect(ok(await queue.lastHlc()), where).toBe(model.lastHlc);
  }
}

describe('SyncQueue agrees with a plain model on random operation sequences', () => {
  it('MemoryQueue', async () => {
    await fc.assert(
      fc.asyncProperty(hlcsArb, fc.array(opArb, { maxLength: 60, size: 'max' }), (hlcs, ops) =>
        agreeWithModel(new MemoryQueue({ entriesMax: ENTRIES_MAX }), hlcs, ops),
      ),
      { numRuns: 400 },
    );
  });

  it('IdbQueue', async () => {
    await fc.assert(
      fc.asyncProperty(
        hlcsArb,
        fc.array(opArb, { maxLength: 30, size: 'max' }),
        async (hlcs, ops) => {
          const queue = ok(
            await IdbQueue.open('model', { indexedDB: new IDBFactory(), entriesMax: ENTRIES_MAX }),
          );
          try {
            await agreeWithModel(queue, hlcs, ops);
          } finally {
            queue.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
