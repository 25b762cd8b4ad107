import type { RowDelta } from '../../src/delta/types';
import { DeltaBuffer, estimateDeltaBytes } from '../../src/gateway/delta-buffer';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import { DeltaStream, type WorkloadShape, workload } from '../lib/inputs';
import { consume, type MeasureBudget, measureOne } from '../lib/measure';
import { dependentLoadNs } from '../lib/memory-latency';
import { atMost, median, medianAbsoluteDeviation, rowFromQuantities } from '../lib/stats';
import type { Suite, SuiteContext } from '../lib/suite';
import type { Quantity } from '../lib/types';

/** Deltas appended per timed sample, and how many the buffer holds before the large samples. */
const SIZES = { batch: 10_000, filled: 1_000_000 } as const;
const SIZES_QUICK = { batch: 1_000, filled: 10_000 } as const;

/**
 * Samples at the large size: no warm-up of their own (the small size, measured first with a
 * full warm-up, has already optimised the same code), and few, since each grows the buffer by
 * one batch.
 */
const LARGE_BUDGET: MeasureBudget = {
  timeMs: 200,
  warmupMs: 0,
  samplesMin: 10,
  warmup: false,
  rounds: 1,
};

/**
 * How the cost of `DeltaBuffer.append` grows with the buffer. Each sample appends one batch of
 * 10,000 fresh deltas (drawn from the seeded stream just before the timed window, as a gateway
 * gets them fresh from the decoder) and reports the time per delta:
 * - small: into an empty buffer;
 * - large: into a buffer that already holds 1,000,000 deltas (filled untimed beforehand; every
 *   sample then adds its batch, so the samples see 1,000,000 up to about 1,150,000).
 * Two large variants: the same 1,002 rows as the small one (only the log grows: the "no copying
 * per append" property), and a key space that grew with the deltas to 100,002 rows (the row index
 * grew a hundredfold too, with the cache misses that brings). Full GC before each size; none
 * between samples, so each batch pays for its own garbage and the collector's work on what the
 * buffer already holds.
 */
export const appendGrowthSuite: Suite = {
  id: 'append-growth',
  title: 'Growth of append cost',
  async run(context) {
    const sizes = context.quick ? SIZES_QUICK : SIZES;
    const largeBudget = context.quick ? context.budget : LARGE_BUDGET;
    // Before any buffer exists, so the chase has the machine's memory to itself.
    const latency = {
      cached: dependentLoadNs(1 << 20, context.quick ? 100_000 : 2_000_000),
      uncached: dependentLoadNs(
        context.quick ? 16 << 20 : 128 << 20,
        context.quick ? 100_000 : 2_000_000,
      ),
    };
    const fewRows = Math.ceil(sizes.batch / 30);
    const manyRows = Math.ceil(sizes.filled / 30);
    const small = await timeBatches(
      context,
      { filled: 0, batch: sizes.batch, rowsPerTable: fewRows },
      context.budget,
    );
    const sameRows = await timeBatches(
      context,
      { filled: sizes.filled, batch: sizes.batch, rowsPerTable: fewRows },
      largeBudget,
    );
    const moreRows = await timeBatches(
      context,
      { filled: sizes.filled, batch: sizes.batch, rowsPerTable: manyRows },
      largeBudget,
    );
    const row = (id: string, variant: string, large: Quantity, rows: string, limit: number) =>
      rowFromQuantities({
        id,
        suite: this.id,
        title: `Append cost at ${label(sizes.filled)} vs empty, ${variant}`,
        subject: large,
        baseline: small,
        ratioText: `ns per delta into a buffer of ${label(sizes.filled)} ÷ into an empty buffer`,
        target: atMost(limit, `≤ ${limit} × the cost into an empty buffer`),
        note: `Batches of ${label(sizes.batch)} fresh deltas per sample, each one appendRun; ${rows}; full GC before each size, none between samples.${context.gc === null ? ' No forced GC on this runtime.' : ''} ${latencyNote(latency)}`,
      });
    return {
      rows: [
        row(
          'delta-buffer.growth',
          'same rows (log growth)',
          sameRows,
          `${label(fewRows * 3)} rows throughout`,
          1.3,
        ),
        row(
          'delta-buffer.growth-index',
          'rows grow with deltas (log + index growth)',
          moreRows,
          `${label(fewRows * 3)} rows for the empty buffer, ${label(manyRows * 3)} for the full one`,
          // Revised from 1.3 (issue 11): a 100× larger row index costs cache misses, not copying.
          2,
        ),
      ],
    };
  },
};

interface Plan {
  /** Deltas appended, untimed, before the first sample. */
  readonly filled: number;
  readonly batch: number;
  readonly rowsPerTable: number;
}

async function timeBatches(
  context: SuiteContext,
  plan: Plan,
  budget: MeasureBudget,
): Promise<Quantity> {
  const shape: WorkloadShape = workload({
    seed: `bench/append-growth/${plan.rowsPerTable}`,
    count: plan.filled + plan.batch,
    rowsPerTable: plan.rowsPerTable,
    ids: 'synthetic',
  });
  let stream = new DeltaStream(shape);
  let buffer = new DeltaBuffer();
  context.log(
    `  append growth: filling ${label(plan.filled)} over ${label(plan.rowsPerTable * 3)} rows`,
  );
  while (stream.position < plan.filled) {
    appendAll(
      buffer,
      nextBatch(stream, shape, Math.min(plan.batch, plan.filled - stream.position)),
    );
  }
  context.gc?.();
  let batch = nextBatch(stream, shape, 0);
  const samples = await measureOne(
    {
      label: `append ${label(plan.batch)} at ${label(plan.filled)}`,
      opsPerSample: plan.batch,
      prepare: () => {
        if (plan.filled === 0) {
          buffer = new DeltaBuffer();
          stream = new DeltaStream(shape);
        }
        batch = nextBatch(stream, shape, plan.batch);
      },
      run: () => {
        appendAll(buffer, batch);
        consume(buffer.logSize);
      },
    },
    budget,
  );
  context.log(`  append growth: buffer held ${label(buffer.logSize)} deltas at the end`);
  const nsPerOp = median(samples);
  return {
    label: plan.filled === 0 ? 'into an empty buffer' : `into ${label(plan.filled)}`,
    value: nsPerOp,
    unit: 'ns/delta',
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    samples: samples.length,
    madPercent: (100 * medianAbsoluteDeviation(samples)) / nsPerOp,
  };
}

/** A batch as the gateway hands it to the buffer: deltas, ingest HLCs and byte estimates. */
interface Batch {
  readonly deltas: readonly RowDelta[];
  readonly ingest: readonly HLCTimestamp[];
  readonly bytes: readonly number[];
}

function nextBatch(stream: DeltaStream, shape: WorkloadShape, count: number): Batch {
  const first = stream.position;
  const deltas = stream.next(count);
  return {
    deltas,
    ingest: deltas.map((_, offset) => HLC.encode(shape.startWallMs + first + offset, 0)),
    bytes: deltas.map(estimateDeltaBytes),
  };
}

/** Appends a batch as the gateway appends a verified push: one `appendRun`. */
function appendAll(buffer: DeltaBuffer, batch: Batch): void {
  buffer.appendRun(batch.deltas, batch.ingest, batch.bytes);
}

/**
 * What a load costs here when its address depends on the previous one: within the caches, and
 * across memory that does not fit in them, as an append at 100,000 rows must load its row.
 */
function latencyNote(latency: { readonly cached: number; readonly uncached: number }): string {
  return `A dependent load costs ${latency.cached.toFixed(1)} ns within 1 MiB and ${latency.uncached.toFixed(0)} ns across 128 MiB on this machine (pointer chase, same process).`;
}

function label(count: number): string {
  return count.toLocaleString('en-GB');
}
