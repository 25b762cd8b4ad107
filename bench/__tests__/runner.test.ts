import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/child-process';
import { mergeRuntimeReports, runBench } from '../lib/run-bench';
import type { BenchReport } from '../lib/types';
import { sampleReport } from './report-fixture';
import { checkXml } from './svg-check';

/**
 * End to end on tiny sizes (`--quick`): the runner writes the three report files and they are
 * well formed. No timing is asserted anywhere; only structure.
 */
const dirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lakesync-bench-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const VERDICTS = ['PASS', 'MISS', 'ERROR'];

function readReport(dir: string): { json: BenchReport; markdown: string; svg: string } {
  return {
    json: JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchReport,
    markdown: readFileSync(join(dir, 'bench.md'), 'utf8'),
    svg: readFileSync(join(dir, 'bench.svg'), 'utf8'),
  };
}

describe('runBench --quick', () => {
  it('runs every suite under this runtime and writes well-formed reports', async () => {
    const dir = freshDir();
    const outcome = await runBench({
      quick: true,
      bun: false,
      only: null,
      inProcess: false,
      runs: 1,
      outDir: dir,
      log: () => {},
    });
    expect(outcome.paths).not.toBeNull();
    const { json, markdown, svg } = readReport(dir);

    expect(json.version).toBe(1);
    expect(json.quick).toBe(true);
    expect(Number.isNaN(Date.parse(json.date))).toBe(false);
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.runtimes).toHaveLength(1);
    const runtime = json.runtimes[0]!;
    expect(runtime.runtime).toBe('node');
    expect(runtime.failures).toEqual([]);
    const ids = runtime.rows.map((row) => row.id);
    for (const id of [
      'delta.delta-id',
      'codec.encode',
      'codec.decode',
      'codec.decode-cold',
      'codec.bytes',
      'conflict.merge-delta',
      'conflict.resolve-lww',
      'delta-buffer.append',
      'gateway.handle-push',
      'memory.buffered-delta',
      'delta-buffer.growth',
      'delta-buffer.growth-index',
      'sim.compression',
      'sim.delivery',
    ]) {
      expect(ids).toContain(id);
    }
    for (const row of runtime.rows) {
      expect(VERDICTS).toContain(row.verdict);
      expect(row.target.text.length).toBeGreaterThan(0);
      if (row.verdict !== 'ERROR') expect(row.ratio).toBeGreaterThan(0);
    }
    expect(runtime.curves.map((curve) => curve.id)).toEqual(['sim.clients', 'sim.deltas']);
    expect(outcome.exitCode).toBe(0);

    expect(markdown).toContain('# LakeSync benchmarks');
    expect(markdown).toContain('quick pass');
    expect(markdown).toContain('Bun was not measured in this run (--no-bun).');
    for (const row of runtime.rows) expect(markdown).toContain(row.title);
    expect(checkXml(svg).problems).toEqual([]);
  }, 120_000);

  it('adds the Bun child figures when Bun is available', async () => {
    try {
      execFileSync('npx', ['bun', '--version'], { cwd: REPO_ROOT, stdio: 'ignore' });
    } catch {
      return; // no Bun on this machine: nothing to check
    }
    const dir = freshDir();
    const outcome = await runBench({
      quick: true,
      bun: true,
      only: ['delta-id', 'codec'],
      inProcess: false,
      runs: 1,
      outDir: dir,
      log: () => {},
    });
    const { json, markdown } = readReport(dir);
    expect(json.runtimes.map((runtime) => runtime.runtime)).toEqual(['node', 'bun']);
    expect(json.machine.bunVersion).toMatch(/^\d+\.\d+/);
    expect(json.runtimes[1]!.rows.map((row) => row.id)).toEqual(
      json.runtimes[0]!.rows.map((row) => row.id),
    );
    expect(markdown).toContain(`## Figures — bun ${json.machine.bunVersion}`);
    expect(outcome.exitCode).toBe(0);
  }, 120_000);

  it('runs suites in this process with --in-process', async () => {
    const lines: string[] = [];
    const outcome = await runBench({
      quick: true,
      bun: false,
      only: ['codec'],
      inProcess: true,
      runs: 1,
      outDir: null,
      log: (line) => lines.push(line),
    });
    expect(outcome.paths).toBeNull();
    expect(outcome.report.runtimes[0]!.rows.map((row) => row.id)).toEqual([
      'codec.encode',
      'codec.decode',
      'codec.decode-cold',
      'codec.bytes',
    ]);
    expect(lines.some((line) => line.startsWith('[node] codec'))).toBe(true);
  }, 60_000);
});

describe('runBench --runs 2', () => {
  it('measures twice, keeps both runs and says a target must hold on each', async () => {
    const dir = freshDir();
    const lines: string[] = [];
    const outcome = await runBench({
      quick: true,
      bun: false,
      only: ['codec'],
      inProcess: false,
      runs: 2,
      outDir: dir,
      log: (line) => lines.push(line),
    });
    const { json, markdown } = readReport(dir);
    expect(lines).toContain('run 1 of 2');
    expect(lines).toContain('run 2 of 2');
    expect(json.runs).toHaveLength(2);
    const [first, second] = json.runs!;
    expect(first!.runtimes[0]!.rows.map((row) => row.id)).toEqual([
      'codec.encode',
      'codec.decode',
      'codec.decode-cold',
      'codec.bytes',
    ]);
    // The figures are the last run's.
    expect(second!.runtimes[0]!.rows.map((row) => row.ratio)).toEqual(
      json.runtimes[0]!.rows.map((row) => row.ratio),
    );
    expect(markdown).toContain('**Runs:** 2 consecutive runs of every suite (`--runs 2`)');
    const bytes = markdown.split('\n').find((line) => line.startsWith('| SyncPush size'));
    expect(bytes).toMatch(/\*\*(PASS|MISS)\*\* [0-9.]+ · [0-9.]+ \|$/);
    expect(outcome.exitCode).toBe(0);
  }, 120_000);

  it('refuses a run count that is not a positive integer', async () => {
    const options = {
      quick: true,
      bun: false,
      only: ['codec'],
      inProcess: false,
      outDir: null,
      log: () => {},
    };
    await expect(runBench({ ...options, runs: 0 })).rejects.toThrow(/positive integer/);
  });
});

describe('mergeRuntimeReports', () => {
  it('concatenates the children in order and counts lost children as failures', () => {
    const node = sampleReport().runtimes[0]!;
    const merged = mergeRuntimeReports(
      [node, { ...node, rows: node.rows.slice(0, 1), failures: [], wallMs: 6 }],
      [{ suite: 'lost', message: 'crashed' }],
    );
    expect(merged.rows.map((row) => row.id)).toEqual(['a.pass', 'b.miss', 'c.error', 'a.pass']);
    expect(merged.failures.map((failure) => failure.suite)).toEqual(['d', 'lost']);
    expect(merged.wallMs).toBe(1_240);
    expect(() => mergeRuntimeReports([])).toThrow();
  });
});
