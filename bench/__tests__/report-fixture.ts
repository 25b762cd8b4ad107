import { atLeast, atMost, errorRow, rowFromQuantities } from '../lib/stats';
import type { BenchReport, RuntimeReport } from '../lib/types';

/** A small report with every kind of row: PASS, MISS, ERROR, a failure and an extrapolation. */
export function sampleReport(): BenchReport {
  const node: RuntimeReport = {
    runtime: 'node',
    runtimeVersion: '20.20.2',
    gcAvailable: true,
    rows: [
      rowFromQuantities({
        id: 'a.pass',
        suite: 'a',
        title: 'Fast thing <&> "quoted" | piped',
        subject: {
          label: 'ours',
          value: 300,
          unit: 'ops/s',
          nsPerOp: 3_333_333,
          opsPerSec: 300,
          samples: 9,
          madPercent: 2,
        },
        baseline: {
          label: 'theirs',
          value: 100,
          unit: 'ops/s',
          nsPerOp: 10_000_000,
          opsPerSec: 100,
          samples: 9,
          madPercent: 3,
        },
        ratioText: 'ours ÷ theirs',
        target: atLeast(2, '≥ 2 × theirs'),
      }),
      rowFromQuantities({
        id: 'b.miss',
        suite: 'b',
        title: 'Small bytes',
        subject: { label: 'protobuf', value: 700, unit: 'B' },
        baseline: { label: 'JSON', value: 1_000, unit: 'B' },
        ratioText: 'protobuf ÷ JSON',
        target: atMost(0.6, '≤ 0.6 × JSON bytes'),
        note: 'exact sizes',
      }),
      errorRow(
        {
          id: 'c.error',
          suite: 'c',
          title: 'Unmeasured',
          ratioText: 'x ÷ y',
          target: atLeast(1, '≥ 1'),
        },
        'engine missing.',
      ),
    ],
    curves: [
      {
        id: 'sim.deltas',
        title: 'Wall time by writes',
        xLabel: 'writes',
        points: [
          {
            x: 10,
            wallMs: 100,
            virtualMs: 1_000,
            writes: 10,
            deltasPushed: 10,
            deltasPulled: 90,
            measured: true,
          },
          {
            x: 100,
            wallMs: 1_000,
            virtualMs: Number.NaN,
            writes: Number.NaN,
            deltasPushed: Number.NaN,
            deltasPulled: Number.NaN,
            measured: false,
            note: 'EXTRAPOLATED, not measured',
          },
        ],
      },
    ],
    failures: [{ suite: 'd', message: 'ids differ' }],
    wallMs: 1_234,
  };
  const bun: RuntimeReport = {
    ...node,
    runtime: 'bun',
    runtimeVersion: '1.4.5',
    rows: node.rows.slice(0, 2),
    curves: [],
    failures: [],
  };
  return {
    version: 1,
    date: '2026-01-02T03:04:05.000Z',
    quick: false,
    machine: {
      os: 'linux 6.1',
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      nodeVersion: '20.20.2',
      bunVersion: '1.4.5',
      loadAverage: 0.5,
      loadAverageEnd: 0.75,
    },
    runtimes: [node, bun],
    notes: ['a note'],
  };
}
