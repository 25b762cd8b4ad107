import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { rowStatesEqual } from '../../conflict/row-state';
import type { RowDelta } from '../../delta/types';
import { HLC } from '../../hlc/hlc';
import type { HLCTimestamp } from '../../hlc/types';
import { DeltaBuffer, estimateDeltaBytes, STAGED_APPEND_ROWS_MIN } from '../delta-buffer';

/**
 * `appendRun` must leave a buffer exactly as `append` one delta at a time does, on both of its
 * paths: the plain loop of a small index, and the chunked passes of a large one. The large case
 * starts from an index just above `STAGED_APPEND_ROWS_MIN` rows, then appends random runs that
 * revisit rows (several times within one chunk), add new ones, delete, resurrect, arrive with
 * older versions and tie on the HLC.
 */

const T0 = 1_700_000_000_000;
const TABLES = ['todos', 'notes'] as const;
const CLIENTS = ['client-a', 'client-b', 'client-c'] as const;
const COLUMNS = ['title', 'done', '__proto__'] as const;

interface Step {
  readonly op: 'INSERT' | 'UPDATE' | 'DELETE';
  readonly table: (typeof TABLES)[number];
  readonly row: number;
  readonly clientId: (typeof CLIENTS)[number];
  readonly wall: number;
  readonly columns: readonly (readonly [string, unknown])[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom('INSERT' as const, 'UPDATE' as const, 'UPDATE' as const, 'DELETE' as const),
  table: fc.constantFrom(...TABLES),
  // Mostly a few hot rows (repeats within a chunk), sometimes anywhere, sometimes a new row.
  row: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 20_000 })),
  clientId: fc.constantFrom(...CLIENTS),
  wall: fc.integer({ min: 0, max: 40 }),
  columns: fc.uniqueArray(
    fc.tuple(fc.constantFrom(...COLUMNS), fc.oneof(fc.boolean(), fc.string())),
    {
      maxLength: COLUMNS.length,
      selector: ([column]) => column,
    },
  ),
});

function deltaOf(step: Step, index: number): RowDelta {
  return {
    op: step.op,
    table: step.table,
    rowId: `row-${step.row}`,
    clientId: step.clientId,
    columns: step.op === 'DELETE' ? [] : step.columns.map(([column, value]) => ({ column, value })),
    hlc: HLC.encode(T0 + step.wall, index % 4),
    // `append` never recomputes the id; it only has to be there.
    deltaId: index.toString(16).padStart(64, '0'),
  };
}

/**
 * A run as a verified push hands it over: deltas, their sizes and ingest HLCs from `firstIngest`
 * on (the delta index of the run's first delta, so ingest HLCs increase across runs).
 */
interface Run {
  readonly deltas: RowDelta[];
  readonly ingest: HLCTimestamp[];
  readonly sizes: number[];
}

function runOf(deltas: RowDelta[], firstIngest: number): Run {
  return {
    deltas,
    ingest: deltas.map((_, offset) => HLC.encode(T0 + 1_000_000 + firstIngest + offset, 0)),
    sizes: deltas.map(estimateDeltaBytes),
  };
}

/** Two buffers holding `rows` rows of `todos`, filled alike (one `appendRun` and one by one). */
function filledPair(rows: number): { one: DeltaBuffer; run: DeltaBuffer; ingested: number } {
  const deltas: RowDelta[] = [];
  for (let row = 0; row < rows; row++) {
    deltas.push(
      deltaOf(
        {
          op: 'INSERT',
          table: 'todos',
          row,
          clientId: 'client-a',
          wall: 0,
          columns: [['title', 't']],
        },
        row,
      ),
    );
  }
  const fill = runOf(deltas, 0);
  const one = new DeltaBuffer();
  const run = new DeltaBuffer();
  appendOneByOne(one, fill);
  run.appendRun(fill.deltas, fill.ingest, fill.sizes);
  return { one, run, ingested: rows };
}

function appendOneByOne(buffer: DeltaBuffer, run: Run): void {
  for (let at = 0; at < run.deltas.length; at++) {
    buffer.append(run.deltas[at]!, run.ingest[at]!, run.sizes[at]!);
  }
}

function expectSameBuffers(one: DeltaBuffer, run: DeltaBuffer): void {
  expect(run.indexSize).toBe(one.indexSize);
  const keys = [...one.index().keys()];
  expect([...run.index().keys()]).toEqual(keys);
  for (let position = 0; position < one.indexSize; position++) {
    const expected = one.rowAt(position)!;
    const actual = run.rowAt(position)!;
    if (!rowStatesEqual(actual, expected)) {
      expect.fail(`row ${expected.table}/${expected.rowId} differs after appendRun`);
    }
  }
  const logOne = one.logEntries();
  const logRun = run.logEntries();
  expect(logRun.length).toBe(logOne.length);
  const firstDifference = logOne.findIndex(
    (entry, at) => logRun[at]!.delta !== entry.delta || logRun[at]!.ingestHlc !== entry.ingestHlc,
  );
  expect(firstDifference, 'first log entry that differs').toBe(-1);
  for (const clientId of CLIENTS) {
    expect(run.clientAcceptedHlc(clientId)).toBe(one.clientAcceptedHlc(clientId));
  }
  expect(run.byteSize).toBe(one.byteSize);
}

describe('DeltaBuffer.appendRun', () => {
  test.prop([fc.array(fc.array(stepArb, { maxLength: 40 }), { maxLength: 6 })], { numRuns: 200 })(
    'small index: the same buffer as appending one by one',
    (runs) => {
      const { one, run } = filledPair(10);
      let index = 10;
      for (const steps of runs) {
        const first = index;
        const deltas = steps.map((step) => deltaOf({ ...step, row: step.row % 50 }, index++));
        const batch = runOf(deltas, first);
        appendOneByOne(one, batch);
        run.appendRun(batch.deltas, batch.ingest, batch.sizes);
      }
      expectSameBuffers(one, run);
    },
  );

  test.prop([fc.array(fc.array(stepArb, { minLength: 1, maxLength: 700 }), { maxLength: 3 })], {
    numRuns: 12,
  })('large index (chunked passes): the same buffer as appending one by one', (runs) => {
    const { one, run, ingested } = filledPair(STAGED_APPEND_ROWS_MIN + 10);
    let index = ingested;
    for (const steps of runs) {
      const first = index;
      const deltas = steps.map((step) => deltaOf(step, index++));
      const batch = runOf(deltas, first);
      appendOneByOne(one, batch);
      run.appendRun(batch.deltas, batch.ingest, batch.sizes);
    }
    expectSameBuffers(one, run);
  });
});
