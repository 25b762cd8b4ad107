import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEngine } from '../cli/engine';
import { REPO_ROOT } from '../cli/paths';
import * as engine from '../index';

/** The engine's exports fit what the CLI loads at run time (a compile-time check). */
const engineFits: SimEngine = engine;

const reportDir = mkdtempSync(join(tmpdir(), 'lakesync-e2e-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/** Runs the CLI as a user would, from a folder that is not the repository root. */
function sim(runtime: 'node' | 'bun', args: string[]) {
  const command = runtime === 'node' ? ['tsx', 'sim/main.ts'] : ['bun', 'sim/main.ts'];
  const binary = join(REPO_ROOT, 'node_modules', '.bin', command[0] ?? '');
  const spawned = spawnSync(binary, [join(REPO_ROOT, command[1] ?? ''), ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr };
}

function traceHash(stdout: string): string | undefined {
  return /^trace hash: ([0-9a-f]+)$/m.exec(stdout)?.[1];
}

const quick = ['--quiet', '--lake', 'none', '--duration', '5', '--report', reportDir];

describe('the simulator CLI, end to end', () => {
  it('exports the engine the CLI expects', () => {
    expect(typeof engineFits.runPlan).toBe('function');
  });

  it('runs seed 7 under Node: exit 0 and a trace hash line', () => {
    const run = sim('node', ['--seed', '7', ...quick]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(traceHash(run.stdout)).toMatch(/^[0-9a-f]{8,}$/);
    expect(readFileSync(join(reportDir, '7.html'), 'utf8')).toContain('id="timeline"');
  });

  it('gives the same trace hash under Bun and under Node', () => {
    const node = sim('node', ['--seed', '11', '--clients', '3', ...quick]);
    const bun = sim('bun', ['--seed', '11', '--clients', '3', ...quick]);
    expect(node.status).toBe(0);
    expect(bun.status).toBe(0);
    expect(traceHash(bun.stdout)).toBe(traceHash(node.stdout));
  });

  it('runs seeds on worker threads under both runtimes with the same combined hash as inline', () => {
    const args = [
      '--seeds',
      '1..4',
      '--clients',
      '3',
      '--duration',
      '2',
      '--quiet',
      '--report',
      reportDir,
    ];
    const inline = sim('node', [...args, '--jobs', '1']);
    const nodeWorkers = sim('node', [...args, '--jobs', '2']);
    const bunWorkers = sim('bun', [...args, '--jobs', '2']);
    for (const run of [inline, nodeWorkers, bunWorkers]) {
      expect(run.stdout).toContain('seeds 1..4: 4 of 4 run, 4 passed, 0 failed');
      expect(run.status).toBe(0);
    }
    expect(nodeWorkers.stdout).toContain('2 jobs');
    expect(traceHash(nodeWorkers.stdout)).toBe(traceHash(inline.stdout));
    expect(traceHash(bunWorkers.stdout)).toBe(traceHash(inline.stdout));
  });

  it('exits 3 when the report cannot be written, after a verdict line that says so', () => {
    const file = join(reportDir, 'not-a-folder');
    writeFileSync(file, '');
    const run = sim('node', [
      '--seed',
      '7',
      '--lake',
      'none',
      '--duration',
      '2',
      '--quiet',
      '--report',
      join(file, 'sub'),
    ]);
    expect(run.status).toBe(3);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^seed 7: every oracle checked holds \(\d+ of \d+, lake-roundtrip not run\); INCOMPLETE: the report was not written$/,
    );
  });

  it('exits 2 on a bad flag, before loading anything', () => {
    const run = sim('node', ['--seed', 'seven']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--seed: seed must be a non-negative integer');
  });
});
