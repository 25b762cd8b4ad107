import type { RowDelta } from '../../src/delta/types';
import { DeltaBuffer, estimateDeltaBytes } from '../../src/gateway/delta-buffer';
import type { LogEntry } from '../../src/gateway/delta-log';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import { generateDeltas, workload } from '../lib/inputs';
import { consume, measurePair } from '../lib/measure';
import { atLeast, rowFromQuantities } from '../lib/stats';
import type { Suite } from '../lib/suite';

/** Deltas appended per sample: one fresh buffer per sample. */
const APPENDS_PER_SAMPLE = 10_000;
const APPENDS_PER_SAMPLE_QUICK = 500;

/** Ingest HLCs as the gateway issues them: strictly increasing, one per accepted delta. */
export function ingestHlcs(count: number, startWallMs: number): HLCTimestamp[] {
  return Array.from({ length: count }, (_, index) => HLC.encode(startWallMs + index, 0));
}

/**
 * `DeltaBuffer.append` (log entry, lattice merge into the row index, client watermark) against
 * the floor any buffer must pay for the same entries: `Array.push` of the log entry plus
 * `Map.set` of the row key (built the same way, `${table}:${rowId}`) to the delta.
 */
export const deltaBufferSuite: Suite = {
  id: 'delta-buffer',
  title: 'DeltaBuffer.append',
  async run(context) {
    const count = context.quick ? APPENDS_PER_SAMPLE_QUICK : APPENDS_PER_SAMPLE;
    const shape = workload({
      seed: 'bench/delta-buffer',
      count,
      rowsPerTable: Math.ceil(count / 30),
    });
    const deltas = generateDeltas(shape);
    const ingest = ingestHlcs(count, shape.startWallMs);
    const bytes = deltas.map(estimateDeltaBytes);
    let buffer = new DeltaBuffer();
    let log: LogEntry[] = [];
    let index = new Map<string, RowDelta>();
    const measured = await measurePair(
      {
        label: 'DeltaBuffer.append',
        opsPerSample: count,
        prepare: () => {
          buffer = new DeltaBuffer();
        },
        run: () => {
          for (let position = 0; position < count; position++) {
            buffer.append(deltas[position]!, ingest[position]!, bytes[position]!);
          }
          consume(buffer.logSize);
        },
      },
      {
        label: 'Array.push + Map.set',
        opsPerSample: count,
        prepare: () => {
          log = [];
          index = new Map();
        },
        run: () => {
          for (let position = 0; position < count; position++) {
            const delta = deltas[position]!;
            log.push({ ingestHlc: ingest[position]!, delta, bytes: bytes[position]! });
            index.set(`${delta.table}:${delta.rowId}`, delta);
          }
          consume(log.length + index.size);
        },
      },
      context.budget,
    );
    return {
      rows: [
        rowFromQuantities({
          id: 'delta-buffer.append',
          suite: this.id,
          title: 'DeltaBuffer.append (log + index merge + watermark)',
          subject: measured.subject,
          baseline: measured.baseline,
          ratioText: 'append rate ÷ Array.push + Map.set rate',
          target: atLeast(0.25, '≥ 25 % of the baseline rate'),
          note: `${count.toLocaleString('en-GB')} appends per sample into a fresh buffer; ${shape.tables.length} tables × ${shape.rowsPerTable.toLocaleString('en-GB')} rows, two small columns per write, ${shape.deleteProbability * 100} % deletes.`,
        }),
      ],
    };
  },
};
