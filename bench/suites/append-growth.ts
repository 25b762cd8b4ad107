import type { RowDelta } from '../../src/delta/types';
import { DeltaBuffer, estimateDeltaBytes } from '../../src/gateway/delta-buffer';
import type { HLCTimestamp } from '../../src/hlc/types';
import { generateDeltas, workload } from '../lib/inputs';
import { consume, type MeasureBudget, measureOne } from '../lib/measure';
import { atMost, median, medianAbsoluteDeviation, rowFromQuantities } from '../lib/stats';
import type { Suite, SuiteContext } from '../lib/suite';
import type { Quantity } from '../lib/types';
import { ingestHlcs } from './delta-buffer';

/** Small and large buffer sizes compared. */
const SIZES = { small: 10_000, large: 1_000_000 } as const;
const SIZES_QUICK = { small: 1_000, large: 10_000 } as const;

/**
 * A large fill takes seconds: three samples and no warm-up of its own (the small fill, measured
 * first with a full warm-up, has already optimised the same code).
 */
const LARGE_BUDGET: MeasureBudget = {
  timeMs: 1,
  warmupMs: 0,
  samplesMin: 3,
  warmup: false,
  rounds: 1,
};

/**
 * How the cost of `DeltaBuffer.append` grows with the buffer: mean time per delta when filling a
 * fresh buffer with 1,000,000 deltas against filling one with 10,000 (the `delta-buffer` suite's
 * workload: a tenth as many rows as deltas, two small columns per write). Two large fills:
 * - same rows: the 1,000,000 deltas go to the small fill's 1,002 rows, so only the log grows;
 *   this isolates the per-append cost of a long log (no copying per append);
 * - more rows: the key space grows with the deltas (100,002 rows), so the row index grows a
 *   hundredfold too, with the cache misses that brings.
 * A full garbage collection runs before every sample (outside the timed window), so each fill
 * pays only for the garbage it makes itself.
 */
export const appendGrowthSuite: Suite = {
  id: 'append-growth',
  title: 'Growth of append cost',
  async run(context) {
    const sizes = context.quick ? SIZES_QUICK : SIZES;
    const largeBudget = context.quick ? context.budget : LARGE_BUDGET;
    const smallRows = rowsPerTableFor(sizes.small);
    const small = await timePerDelta(context, sizes.small, smallRows, context.budget);
    const sameRows = await timePerDelta(context, sizes.large, smallRows, largeBudget);
    const moreRows = await timePerDelta(
      context,
      sizes.large,
      rowsPerTableFor(sizes.large),
      largeBudget,
    );
    const gcNote =
      context.gc === null ? ' No GC available on this runtime: earlier samples leave garbage.' : '';
    const row = (id: string, title: string, large: Quantity, rows: string) =>
      rowFromQuantities({
        id,
        suite: this.id,
        title: `Append cost growth, ${label(sizes.large)} vs ${label(sizes.small)} deltas, ${title}`,
        subject: large,
        baseline: small,
        ratioText: `ns per delta at ${label(sizes.large)} ÷ ns per delta at ${label(sizes.small)}`,
        target: atMost(1.3, '≤ 1.3 × the cost at the small size'),
        note: `Fresh buffer per sample; ${rows}; full GC before each sample.${gcNote}`,
      });
    return {
      rows: [
        row(
          'delta-buffer.growth',
          'same rows (log growth)',
          sameRows,
          `both fills over ${label(smallRows * 3)} rows`,
        ),
        row(
          'delta-buffer.growth-index',
          'rows grow with deltas (log + index growth)',
          moreRows,
          `${label(smallRows * 3)} rows at ${label(sizes.small)}, ${label(rowsPerTableFor(sizes.large) * 3)} rows at ${label(sizes.large)}`,
        ),
      ],
    };
  },
};

/** A tenth as many rows as deltas, over the workload's three tables. */
function rowsPerTableFor(count: number): number {
  return Math.ceil(count / 30);
}

async function timePerDelta(
  context: SuiteContext,
  count: number,
  rowsPerTable: number,
  budget: MeasureBudget,
): Promise<Quantity> {
  context.log(
    `  append growth: generating ${label(count)} deltas over ${label(rowsPerTable * 3)} rows`,
  );
  const shape = workload({
    seed: `bench/append-growth/${count}/${rowsPerTable}`,
    count,
    rowsPerTable,
    ids: 'synthetic',
  });
  let deltas: RowDelta[] = generateDeltas(shape);
  let ingest: HLCTimestamp[] = ingestHlcs(count, shape.startWallMs);
  let bytes: number[] = deltas.map(estimateDeltaBytes);
  let buffer = new DeltaBuffer();
  context.log(`  append growth: timing ${label(count)} appends`);
  const samples = await measureOne(
    {
      label: `append ×${count}`,
      opsPerSample: count,
      prepare: () => {
        buffer = new DeltaBuffer();
        context.gc?.();
      },
      run: () => {
        for (let position = 0; position < count; position++) {
          buffer.append(deltas[position]!, ingest[position]!, bytes[position]!);
        }
        consume(buffer.logSize);
      },
    },
    budget,
  );
  deltas = [];
  ingest = [];
  bytes = [];
  buffer = new DeltaBuffer();
  context.gc?.();
  const nsPerOp = median(samples);
  return {
    label: `${label(count)} deltas`,
    value: nsPerOp,
    unit: 'ns/delta',
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    samples: samples.length,
    madPercent: (100 * medianAbsoluteDeviation(samples)) / nsPerOp,
  };
}

function label(count: number): string {
  return count.toLocaleString('en-GB');
}
