import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { IDBFactory } from 'fake-indexeddb';
import { Replica } from '../../src/client/replica';
import { SyncClient } from '../../src/client/sync-client';
import type { HLCTimestamp } from '../../src/hlc/types';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import type { Transport } from '../../src/ports/transport';
import { IdbQueue } from '../../src/queue/idb-queue';
import { MemoryQueue } from '../../src/queue/memory-queue';
import type { SyncQueue } from '../../src/queue/types';
import { TransportError } from '../../src/result/errors';
import { Err, unwrapOrThrow } from '../../src/result/result';
import { consume } from '../lib/measure';
import { atMost, median, medianAbsoluteDeviation, rowFromQuantities } from '../lib/stats';
import type { Suite, SuiteContext } from '../lib/suite';
import type { BenchRow, Quantity } from '../lib/types';

/** Entries queued before the backlog side's first sample (a day offline, say). */
const BACKLOG = { memory: 10_000, idb: 10_000 } as const;
const BACKLOG_QUICK = { memory: 500, idb: 200 } as const;
/**
 * The backlog side drops its oldest entries this many at a time, once it holds this many more than
 * its backlog. Dropping one after each sample cost about 0.7 ms on fake-indexeddb (its
 * `removeDurable` range from the lowest HLC walks every deleted entry still in its tree, up to
 * two thirds of the tree), twenty times the merge, and that walk left the next timed merge about
 * 1.3 × slower than the same merge after no walk: a cost of the bench's upkeep, not of the merge.
 * In batches, one sample in `DROP_BATCH` follows a walk.
 */
const DROP_BATCH = 100;

/** Never reached: the tabs here only write and merge; no round runs. */
const OFFLINE: Transport = {
  push: async () => Err(new TransportError('bench: offline')),
  pull: async () => Err(new TransportError('bench: offline')),
};

/** Two tabs over one outbox: `writer` queues, `reader` merges what it queued. */
interface Tabs {
  readonly queue: SyncQueue;
  readonly writer: SyncClient;
  readonly reader: SyncClient;
  readonly clock: ManualClock;
  /** HLCs of the writes still queued, oldest first (from `oldest` on). */
  readonly queued: HLCTimestamp[];
  oldest: number;
}

async function openTabs(queue: SyncQueue): Promise<Tabs> {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const open = async () =>
    unwrapOrThrow(
      await SyncClient.open({
        clientId: 'bench-tabs',
        clock,
        timers,
        transport: OFFLINE,
        queue,
        recoverSending: false,
      }),
    );
  return { queue, writer: await open(), reader: await open(), clock, queued: [], oldest: 0 };
}

let written = 0;

/** One write by the other tab: a fresh row, one ms later (untimed: it is not the merge's cost). */
async function writeOne(tabs: Tabs): Promise<void> {
  tabs.clock.advance(1);
  const row = `r${written++}`;
  const delta = unwrapOrThrow(await tabs.writer.insert('todos', row, { title: row, done: false }));
  tabs.queued.push(delta.hlc);
}

/**
 * Once `DROP_BATCH` writes beyond `backlog` are queued, removes the `DROP_BATCH` oldest in one
 * `removeDurable` (HLCs rise in outbox order), so the backlog stays within `DROP_BATCH` of its size.
 */
async function dropOldest(tabs: Tabs, backlog: number): Promise<void> {
  if (tabs.queued.length - tabs.oldest < backlog + DROP_BATCH) return;
  tabs.oldest += DROP_BATCH;
  const newestDropped = tabs.queued[tabs.oldest - 1];
  if (newestDropped === undefined) throw new Error('tab-merge: nothing queued to drop');
  if (unwrapOrThrow(await tabs.queue.removeDurable(newestDropped)) !== DROP_BATCH) {
    throw new Error('tab-merge: dropping the oldest writes removed another count');
  }
}

/**
 * Time of one other-tab merge (the reader's `mergeOutbox` after one write by the writer), ns per
 * sample. `afterEach` runs untimed (the empty side clears the outbox so it stays empty).
 */
async function mergeSamples(
  tabs: Tabs,
  context: SuiteContext,
  afterEach: () => Promise<void>,
  warm: boolean,
): Promise<number[]> {
  const { timeMs, warmupMs, samplesMin } = context.budget;
  const once = async (): Promise<number> => {
    await writeOne(tabs);
    const startedAt = performance.now();
    const merged = unwrapOrThrow(await tabs.reader.mergeOutbox());
    const elapsedNs = (performance.now() - startedAt) * 1e6;
    if (merged !== 1) throw new Error(`tab-merge: a merge took ${merged} deltas, not the one new`);
    await afterEach();
    return elapsedNs;
  };
  if (warm) {
    const warmUntil = performance.now() + warmupMs;
    do await once();
    while (performance.now() < warmUntil);
  }
  const samples: number[] = [];
  const until = performance.now() + timeMs;
  while (samples.length < samplesMin || performance.now() < until) samples.push(await once());
  return samples;
}

/**
 * Time of the merge as it was before ADR-023: read the whole outbox and merge every entry into a
 * replica that already holds them all (each merge then changes nothing), ns per sample.
 */
async function wholeMergeSamples(queue: SyncQueue, context: SuiteContext): Promise<number[]> {
  const replica = new Replica();
  for (const entry of unwrapOrThrow(await queue.entries())) replica.merge(entry.delta);
  const samples: number[] = [];
  for (let sample = 0; sample < Math.max(3, context.budget.samplesMin); sample++) {
    const startedAt = performance.now();
    let changed = 0;
    for (const entry of unwrapOrThrow(await queue.entries())) {
      if (replica.merge(entry.delta)) changed++;
    }
    samples.push((performance.now() - startedAt) * 1e6);
    consume(changed);
  }
  return samples;
}

function nsQuantity(label: string, samples: readonly number[]): Quantity {
  const nsPerOp = median(samples);
  return {
    label,
    value: nsPerOp,
    unit: 'ns/merge',
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    samples: samples.length,
    madPercent: (100 * medianAbsoluteDeviation(samples)) / nsPerOp,
  };
}

type Kind = 'memory' | 'idb';

async function newQueue(kind: Kind, name: string): Promise<SyncQueue> {
  if (kind === 'memory') return new MemoryQueue();
  const indexedDB = new IDBFactory();
  return unwrapOrThrow(await IdbQueue.open(name, { indexedDB, requireRisingHlc: true }));
}

async function mergeRow(context: SuiteContext, suite: string, kind: Kind): Promise<BenchRow> {
  const backlog = (context.quick ? BACKLOG_QUICK : BACKLOG)[kind];
  const full = await openTabs(await newQueue(kind, 'bench-backlog'));
  context.log(`  tab merge (${kind}): queueing ${backlog.toLocaleString('en-GB')} entries`);
  for (let entry = 0; entry < backlog; entry++) await writeOne(full);
  // The reader has merged the backlog (as it does write by write): only later writes are new.
  unwrapOrThrow(await full.reader.mergeOutbox());
  const empty = await openTabs(await newQueue(kind, 'bench-empty'));
  const keepEmpty = async () => {
    unwrapOrThrow(await empty.queue.clear());
  };
  const keepBacklog = () => dropOldest(full, backlog);
  const fullSamples: number[] = [];
  const emptySamples: number[] = [];
  // Alternating sides, so that a change in machine load hits both alike.
  for (let round = 0; round < context.budget.rounds; round++) {
    const warm = round === 0;
    const order = round % 2 === 0 ? (['full', 'empty'] as const) : (['empty', 'full'] as const);
    for (const side of order) {
      if (side === 'full')
        fullSamples.push(...(await mergeSamples(full, context, keepBacklog, warm)));
      else emptySamples.push(...(await mergeSamples(empty, context, keepEmpty, warm)));
    }
  }
  context.gc?.();
  const wholeMerge = median(await wholeMergeSamples(full.queue, context));
  const depth = unwrapOrThrow(await full.queue.depth());
  full.writer.close();
  full.reader.close();
  empty.writer.close();
  empty.reader.close();
  if (full.queue instanceof IdbQueue) full.queue.close();
  if (empty.queue instanceof IdbQueue) empty.queue.close();
  const subject = nsQuantity(`merge over ${backlog.toLocaleString('en-GB')}`, fullSamples);
  const baseline = nsQuantity('merge over an empty outbox', emptySamples);
  const store = kind === 'memory' ? 'MemoryQueue' : 'IdbQueue on fake-indexeddb';
  return rowFromQuantities({
    id: `tab-merge.${kind}`,
    suite,
    title: `Other-tab merge with a backlog of ${backlog.toLocaleString('en-GB')} vs empty, ${store}`,
    subject,
    baseline,
    ratioText: `ns per merge over ${backlog.toLocaleString('en-GB')} queued entries ÷ over an empty outbox`,
    target: atMost(2, '≤ 2 × the merge over an empty outbox'),
    note: `One sample: the other tab queues one write (untimed), then this tab's mergeOutbox, which must take exactly that one delta. After each sample (untimed) the empty side is cleared, and the backlog side, once ${DROP_BATCH} writes over its backlog, drops its ${DROP_BATCH} oldest, so it holds ${backlog.toLocaleString('en-GB')}–${(backlog + DROP_BATCH).toLocaleString('en-GB')} throughout (${depth.toLocaleString('en-GB')} at the end); one at a time, fake-indexeddb's removal walks its deleted records after every sample and slows the next merge. The merge before ADR-023 (read the whole outbox, merge every entry) costs ${(wholeMerge / baseline.value).toFixed(0)} × the empty merge here.`,
  });
}

/**
 * What a merge of the shared outbox costs a tab when another tab writes (ADR-023): with a large
 * offline backlog it must cost about what it costs over an empty outbox, since it reads only the
 * entries queued since its last merge. On `MemoryQueue`, and on `IdbQueue` over fake-indexeddb
 * (its index is a sorted array: a key range there is a binary search plus the entries returned,
 * as in a browser's B-tree).
 */
export const tabMergeSuite: Suite = {
  id: 'tab-merge',
  title: 'Other-tab outbox merge',
  async run(context) {
    return {
      rows: [await mergeRow(context, this.id, 'memory'), await mergeRow(context, this.id, 'idb')],
    };
  },
};
