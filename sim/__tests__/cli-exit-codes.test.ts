import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_INFRASTRUCTURE, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION } from '../cli/cli';
import { usage } from '../cli/help';
import { fakeEngine, ORACLES_CHECKED, run } from './cli-harness';

/** A loopback port with nothing listening on it (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A file where the CLI expects a folder, so nothing can be written below it (even as root). */
function blocker(dir: string, name: string): void {
  writeFileSync(join(dir, name), 'not a folder');
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('exit statuses', () => {
  it('documents 0, 1, 2 and 3 in --help', () => {
    const text = usage();
    for (const line of [
      /^ {2}0 {2}every oracle holds/m,
      /^ {2}1 {2}an oracle was violated/m,
      /^ {2}2 {2}bad usage/m,
      /^ {2}3 {2}infrastructure: lake endpoint unreachable, a report, plan or summary file not writable/m,
    ]) {
      expect(text).toMatch(line);
    }
  });

  it('0: every oracle holds', async () => {
    const { status, stdout } = await run(['--seed', '7', '--lake', 'none', '--quiet']);
    expect(status).toBe(EXIT_OK);
    expect(lastLine(stdout)).toBe(
      `seed 7: every oracle holds (${ORACLES_CHECKED} of ${ORACLES_CHECKED}, lake-roundtrip not run)`,
    );
  });

  it('1: an oracle was violated', async () => {
    const { status } = await run([
      '--seed',
      '10',
      '--lake',
      'none',
      '--quiet',
      '--shrink-runs',
      '0',
    ]);
    expect(status).toBe(EXIT_VIOLATION);
  });

  it('2: bad usage, a missing plan file, a missing engine', async () => {
    expect((await run(['--seed', 'x'])).status).toBe(EXIT_USAGE);
    expect((await run(['--replay', '/nonexistent/plan.json'])).status).toBe(EXIT_USAGE);
    expect((await run(['--seed', '1'], null)).status).toBe(EXIT_USAGE);
  });

  it('3: the report folder cannot be written, although every oracle held', async () => {
    const { status, stdout } = await run(
      ['--seed', '7', '--lake', 'none', '--report', 'blocked/sub'],
      fakeEngine(),
      undefined,
      (dir) => blocker(dir, 'blocked'),
    );
    expect(status).toBe(EXIT_INFRASTRUCTURE);
    expect(stdout).toContain('report not written: cannot write the report to');
    expect(lastLine(stdout)).toBe(
      `seed 7: every oracle checked holds (${ORACLES_CHECKED} of ${ORACLES_CHECKED}, lake-roundtrip not run); INCOMPLETE: the report was not written`,
    );
  });

  it('3: the minimal plan cannot be written after a violation (the verdict still names it)', async () => {
    const { status, stdout } = await run(
      ['--seed', '10', '--lake', 'none', '--shrink-runs', '0'],
      fakeEngine(),
      undefined,
      (dir) => blocker(dir, 'reports'),
    );
    expect(status).toBe(EXIT_INFRASTRUCTURE);
    expect(stdout).toContain('minimal plan not written');
    // Without a plan file the rerun command is the one that reproduces the failure.
    expect(lastLine(stdout)).toMatch(
      /^seed 10: FAIL convergence at .*; INCOMPLETE: .*the minimal plan was not written → bun run sim --seed 10 --lake none$/,
    );
  });

  it('3: the lake endpoint is unreachable', async () => {
    const port = await closedPort();
    const { status, stdout } = await run([
      '--seed',
      '7',
      '--endpoint',
      `http://127.0.0.1:${port}`,
      '--quiet',
    ]);
    expect(status).toBe(EXIT_INFRASTRUCTURE);
    expect(stdout).toContain('lake round trip could not run');
    expect(lastLine(stdout)).toContain('INCOMPLETE: the lake round trip could not run');
  }, 30_000);

  it('--seeds: 0 when all pass, 1 when one fails, 3 when the summary cannot be written', async () => {
    const pass = await run(['--seeds', '1..4', '--jobs', '1', '--quiet']);
    expect(pass.status).toBe(EXIT_OK);
    expect(lastLine(pass.stdout)).toBe('seeds 1..4: every oracle holds on all 4 seeds');
    const fail = await run(['--seeds', '1..6', '--jobs', '1', '--quiet', '--shrink-runs', '0']);
    expect(fail.status).toBe(EXIT_VIOLATION);
    expect(lastLine(fail.stdout)).toBe(
      'seeds 1..6: 1 of 6 seeds FAIL, first seed 5 (convergence) → bun run sim --replay reports/5-min.json',
    );
    const blocked = await run(
      ['--seeds', '1..4', '--jobs', '1', '--quiet', '--summary-json', 'blocked/s.json'],
      fakeEngine(),
      undefined,
      (dir) => blocker(dir, 'blocked'),
    );
    expect(blocked.status).toBe(EXIT_INFRASTRUCTURE);
    expect(blocked.stdout).toContain('summary not written');
  });

  it('--seeds: a shard with no seed of the range passes and says so', async () => {
    const { status, stdout } = await run(['--seeds', '1..2', '--shard', '4/5', '--quiet']);
    expect(status).toBe(EXIT_OK);
    expect(stdout).toBe(
      'seeds 1..2 (shard 4/5): no seed belongs to this shard\nseeds 1..2 (shard 4/5): no seed to run\n',
    );
  });

  it('--seeds: failing seeds whose reports cannot be written exit 3', async () => {
    const { status, stdout } = await run(
      ['--seeds', '5..5', '--jobs', '1', '--quiet', '--report', 'blocked', '--shrink-runs', '0'],
      fakeEngine(),
      undefined,
      (dir) => blocker(dir, 'blocked'),
    );
    expect(status).toBe(EXIT_INFRASTRUCTURE);
    expect(stdout).toContain('[cannot write the report to');
  });

  it('writes a summary that reads back', async () => {
    const { status, dir } = await run([
      '--seeds',
      '1..6',
      '--jobs',
      '1',
      '--quiet',
      '--summary-json',
      'out/summary.json',
      '--shrink-runs',
      '0',
    ]);
    expect(status).toBe(EXIT_VIOLATION);
    const path = join(dir, 'out', 'summary.json');
    expect(existsSync(path)).toBe(true);
    const summary = JSON.parse(readFileSync(path, 'utf8'));
    expect(summary).toMatchObject({
      format: 'lakesync-sim-sweep',
      range: { first: 1, last: 6 },
      seedsTotal: 6,
      seedsRun: 6,
      passed: 5,
      failuresByOracle: { convergence: 1 },
    });
    expect(Object.keys(summary.traceHashes)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(summary.failures[0]).toMatchObject({
      seed: 5,
      oracle: 'convergence',
      command: 'bun run sim --replay reports/5-min.json',
    });
  });
});
