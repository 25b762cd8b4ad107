import { DeltaBuffer, estimateDeltaBytes } from '../../src/gateway/delta-buffer';
import { HLC } from '../../src/hlc/hlc';
import { decodeSyncPush, encodeSyncPush } from '../../src/proto/codec';
import { generateDeltas, toPushes, type WorkloadShape, workload } from '../lib/inputs';
import { heapUsedBytes } from '../lib/runtime';
import { atMost, errorRow, median, rowFromQuantities } from '../lib/stats';
import type { Suite } from '../lib/suite';

const DELTAS = 100_000;
const DELTAS_QUICK = 2_000;
const REPEATS = 3;
const REPEATS_QUICK = 1;

const ROW_SPEC = {
  id: 'memory.buffered-delta',
  suite: 'memory',
  title: 'Heap per buffered delta (two small columns)',
  ratioText: 'heap growth ÷ buffered deltas',
  target: atMost(1_024, '≤ 1 KiB per delta'),
} as const;

/**
 * Heap cost of holding deltas in the gateway's buffer: full GC, heap reading, then decode
 * 1,000-delta pushes from the wire (so every delta owns its strings, as on a real gateway) and
 * append each to a `DeltaBuffer` (log entry, ingest HLC, row index with a tenth as many rows as
 * deltas, watermarks); full GC, heap reading again. The encoded bytes exist before the first
 * reading and after the second, so they cancel out. Median of a few repeats.
 */
export const memorySuite: Suite = {
  id: 'memory',
  title: 'Memory per buffered delta',
  async run(context) {
    const gc = context.gc;
    if (gc === null) {
      return { rows: [errorRow(ROW_SPEC, 'This runtime cannot force a garbage collection.')] };
    }
    const count = context.quick ? DELTAS_QUICK : DELTAS;
    const shape = workload({
      seed: 'bench/memory',
      count,
      rowsPerTable: Math.ceil(count / 30),
      ids: 'synthetic',
    });
    const encoded = encodePushes(shape);
    const growths: number[] = [];
    for (let repeat = 0; repeat < (context.quick ? REPEATS_QUICK : REPEATS); repeat++) {
      growths.push(heapGrowthOfBuffering(encoded, shape, gc));
    }
    const growth = median(growths);
    return {
      rows: [
        rowFromQuantities({
          ...ROW_SPEC,
          subject: { label: 'heap growth', value: growth, unit: 'B', samples: growths.length },
          baseline: { label: 'buffered deltas', value: count, unit: 'deltas' },
          note: `${count.toLocaleString('en-GB')} deltas decoded from the wire and appended; ${shape.tables.length * shape.rowsPerTable} rows in the index; 64-character synthetic hex ids (the length of a SHA-256 id); median of ${growths.length} repeat(s).`,
        }),
      ],
    };
  },
};

/**
 * The seeded deltas as encoded 1,000-delta pushes. A function of its own, so the decoded
 * intermediates die with its frame (a caller's interpreter registers could otherwise keep them
 * alive across the first heap reading and make the growth look smaller).
 */
function encodePushes(shape: WorkloadShape): Uint8Array[] {
  return toPushes(generateDeltas(shape), 1_000).map(encodeSyncPush);
}

/**
 * One measurement: GC, heap reading, decode every push and append its deltas to a fresh buffer,
 * GC, heap reading; the buffer stays reachable until after the second reading. A function of its
 * own so nothing from an earlier repeat lingers in the caller's frame.
 */
function heapGrowthOfBuffering(
  encoded: readonly Uint8Array[],
  shape: WorkloadShape,
  gc: () => void,
): number {
  gc();
  const before = heapUsedBytes();
  const buffer = new DeltaBuffer();
  let ingest = 0;
  for (const bytes of encoded) {
    const push = decodeSyncPush(bytes);
    if (!push.ok) throw new Error(`memory: a seeded push does not decode: ${push.error.message}`);
    for (const delta of push.value.deltas) {
      buffer.append(delta, HLC.encode(shape.startWallMs + ingest++, 0), estimateDeltaBytes(delta));
    }
  }
  gc();
  const growth = heapUsedBytes() - before;
  if (buffer.logSize !== shape.count) throw new Error('memory: not every delta was buffered');
  return growth;
}
