import { describe, expect, it } from 'vitest';
import { Progress, renderBar } from '../cli/progress';
import { combinedTraceHash, failureLine } from '../cli/run-seeds';
import type { SeedOutcome } from '../cli/seed-task';
import { formatSummaryTable } from '../cli/summary-table';
import type { RunStats } from '../types';

const STATS: RunStats = {
  clients: 20,
  ops: 1234,
  deltasPushed: 1100,
  deltasPulled: 21_000,
  messagesSent: 9_876,
  duplicatesDelivered: 45,
  messagesDropped: 12,
  repliesLost: 3,
  partitions: 2,
  gatewayRestarts: 1,
  clientRestarts: 4,
  clockSkewMsMax: 2_900,
  flushes: 14,
  flushFailures: 2,
  lakeObjects: 12,
  virtualMs: 120_000,
  wallMs: 1_530,
  virtualMsPerWallMs: 78.43,
};

describe('formatSummaryTable', () => {
  it('prints every figure in an aligned column', () => {
    expect(formatSummaryTable(STATS)).toBe(
      [
        'summary',
        '  clients                 20',
        '  ops                     1,234',
        '  deltas pushed / pulled  1,100 / 21,000',
        '  messages sent           9,876',
        '  duplicates delivered    45',
        '  dropped / replies lost  12 / 3',
        '  partitions              2',
        '  restarts                1 gateway, 4 client',
        '  max clock skew          2,900 ms',
        '  flushes                 14 (2 failed)',
        '  lake objects            12',
        '  virtual time            120 s',
        '  wall time               1.53 s',
        '  virtual ÷ wall time     78.4×',
      ].join('\n'),
    );
  });
});

class FakeSink {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 60,
  ) {}
  write(chunk: string): void {
    this.text += chunk;
  }
}

describe('Progress', () => {
  it('draws a bar', () => {
    expect(renderBar(0, 10)).toBe('[----------]');
    expect(renderBar(0.5, 10)).toBe('[#####-----]');
    expect(renderBar(2, 4)).toBe('[####]');
    expect(renderBar(Number.NaN, 4)).toBe('[----]');
  });

  it('stays silent for the first second, then redraws in place on a terminal', () => {
    let nowMs = 0;
    const sink = new FakeSink(true);
    const progress = new Progress({ sink, now: () => nowMs, enabled: true, label: 'seed 7' });
    progress.update(1, 10);
    expect(sink.text).toBe('');
    nowMs = 1_500;
    progress.update(5, 10, 'half');
    expect(sink.text).toBe('\r\u001b[Kseed 7 [###############---------------]  50% half');
    nowMs = 1_550;
    progress.update(6, 10);
    expect(sink.text.split('\r').length).toBe(2);
    nowMs = 1_700;
    progress.update(10, 10);
    progress.finish();
    expect(sink.text.endsWith('\r\u001b[K')).toBe(true);
    expect(sink.text).toContain('100%');
  });

  it('prints occasional plain lines when stderr is not a terminal', () => {
    let nowMs = 0;
    const sink = new FakeSink(false);
    const progress = new Progress({ sink, now: () => nowMs, enabled: true, label: 'seeds' });
    for (nowMs = 0; nowMs <= 30_000; nowMs += 500) progress.update(nowMs, 30_000, 'x');
    progress.finish();
    const lines = sink.text.trimEnd().split('\n');
    expect(lines.length).toBe(4);
    expect(lines[0]).toBe('seeds: 3% x …');
    expect(lines[2]).toBe('seeds: 70% x …');
    // The log must not read as if the run stopped at the last percentage printed.
    expect(lines[3]).toBe('seeds: done in 30.5 s wall');
    expect(sink.text).not.toContain('\r');
  });

  it('writes nothing when disabled (--quiet)', () => {
    let nowMs = 0;
    const sink = new FakeSink(true);
    const progress = new Progress({ sink, now: () => nowMs, enabled: false, label: 'q' });
    nowMs = 60_000;
    progress.update(1, 2);
    progress.finish();
    expect(sink.text).toBe('');
  });
});

function outcome(seed: number, fields: Partial<SeedOutcome> = {}): SeedOutcome {
  return {
    seed,
    ok: false,
    traceHash: `h${seed}`,
    firstViolation: { oracle: 'durability', message: 'delta d1 lost', atMs: 61_000 },
    violationCount: 2,
    crash: null,
    stats: null,
    coverage: null,
    shrink: null,
    minPlanPath: `/repo/reports/${seed}-min.json`,
    reportPath: null,
    problems: [],
    command: `npm run sim -- --replay reports/${seed}-min.json`,
    ...fields,
  };
}

const SIZE = {
  clients: 1,
  events: 1,
  writes: 1,
  faultEvents: 0,
  durationMs: 1,
  healMs: 1,
  faultRates: 0,
};

describe('seeds output', () => {
  it('ends each failing line with the one replay command', () => {
    const shrink = { runs: 3, before: SIZE, after: SIZE };
    expect(failureLine(outcome(12, { shrink }))).toBe(
      'seed 12 FAIL durability at 61000 ms: delta d1 lost (+1 more) → npm run sim -- --replay reports/12-min.json',
    );
    expect(
      failureLine(
        outcome(3, {
          crash: 'Error: boom\n  at x',
          firstViolation: null,
          violationCount: 0,
          minPlanPath: null,
          command: 'npx bun run sim --seed 3 --lake none',
        }),
      ),
    ).toBe('seed 3 CRASH Error: boom → npx bun run sim --seed 3 --lake none');
  });

  it('combines trace hashes independently of completion order', () => {
    const inOrder = combinedTraceHash(
      new Map([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]),
    );
    const shuffled = combinedTraceHash(
      new Map([
        [3, 'c'],
        [1, 'a'],
        [2, 'b'],
      ]),
    );
    expect(shuffled).toBe(inOrder);
    expect(inOrder).toMatch(/^[0-9a-f]{64}$/);
    expect(
      combinedTraceHash(
        new Map([
          [1, 'a'],
          [2, 'x'],
          [3, 'c'],
        ]),
      ),
    ).not.toBe(inOrder);
  });
});
