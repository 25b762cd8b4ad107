import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_INFRASTRUCTURE, EXIT_OK, EXIT_USAGE, EXIT_VIOLATION } from '../cli/cli';
import { findSummaryFiles, mergeSummaries, readSummaries } from '../cli/merge';
import { fakeEngine, root, run } from './cli-harness';

let farmCount = 0;

/** Runs seeds 1..12 as `count` shards (the fake engine fails seeds 5 and 10), like a seed farm. */
async function farm(count: number, extra: string[] = [], keepPlans = false): Promise<string> {
  const dir = join(root, `farm-${farmCount++}`);
  for (let index = 1; index <= count; index++) {
    const machine = join(dir, `shard-${index}`);
    const { status, dir: ranIn } = await run([
      '--seeds',
      '1..12',
      '--shard',
      `${index}/${count}`,
      '--jobs',
      '1',
      '--quiet',
      '--shrink-runs',
      '0',
      '--summary-json',
      join(machine, 'summary.json'),
      '--report',
      join(machine, 'reports'),
      ...extra,
    ]);
    expect([EXIT_OK, EXIT_VIOLATION]).toContain(status);
    // As the workflow does: the shard's minimal plans travel beside its summary.
    const plans = join(ranIn, 'reports');
    if (keepPlans && existsSync(plans)) {
      mkdirSync(join(machine, 'plans'), { recursive: true });
      for (const name of readdirSync(plans).filter((file) => file.endsWith('-min.json')))
        copyFileSync(join(plans, name), join(machine, 'plans', name));
    }
  }
  return dir;
}

function traceHashOf(stdout: string): string | undefined {
  return /trace hash: ([0-9a-f]{64})/.exec(stdout)?.[1];
}

describe('--merge', () => {
  it('merges shard summaries into the verdict and trace hash of one unsharded sweep', async () => {
    const whole = await run(['--seeds', '1..12', '--jobs', '1', '--quiet', '--shrink-runs', '0']);
    const dir = await farm(3);
    const merged = await run([
      '--merge',
      dir,
      '--report',
      'merged',
      '--summary-json',
      'merged.json',
    ]);
    expect(merged.status).toBe(EXIT_VIOLATION);
    expect(traceHashOf(merged.stdout)).toBe(traceHashOf(whole.stdout));
    const lines = merged.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^faults=default clients=default duration=default: 12 of 12 seeds run \(shards 1\/3 2\/3 3\/3\), 10 passed, 2 failed, /,
    );
    expect(merged.stdout).toContain(
      'seed 5 FAIL convergence: client-1 <b>differs</b> → bun run sim --replay reports/5-min.json',
    );
    expect(lines.at(-1)).toBe(
      'merged 3 summaries: 2 of 12 seeds FAIL, first seed 5 (convergence) → bun run sim --replay reports/5-min.json',
    );
    const html = readFileSync(join(merged.dir, 'merged', 'merged.html'), 'utf8');
    expect(html).toContain('id="failures"');
    expect(html).not.toContain('<b>differs');
    const json = JSON.parse(readFileSync(join(merged.dir, 'merged.json'), 'utf8'));
    expect(json).toMatchObject({ format: 'lakesync-sim-merged', seedsRun: 12, failures: 2 });
    expect(json.failuresByOracle).toEqual({ convergence: 2 });
  });

  it('points each replay command at the plan uploaded beside its summary, as this merge was started', async () => {
    const dir = await farm(3, [], true);
    const npm = { prefix: 'npm run sim --', launcher: 'npm' } as const;
    const merged = await run(['--merge', dir, '--quiet'], fakeEngine(), npm);
    const plan = join(dir, 'shard-3', 'plans', '5-min.json');
    expect(existsSync(plan)).toBe(true);
    expect(merged.stdout).toContain(
      `seed 5 FAIL convergence: client-1 <b>differs</b> → npm run sim -- --replay ${plan}`,
    );
    expect(merged.stdout.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`first seed 5 \\(convergence\\) → npm run sim -- --replay ${plan}$`),
    );
  });

  it('passes when every merged seed passed, from several folders and profiles', async () => {
    const calm = await farm(2, ['--faults', 'calm', '--clients', '2']);
    const other = await farm(1, ['--faults', 'none', '--clients', '2']);
    // With 2 clients the fake engine's markers never meet: every seed passes.
    const merged = await run(['--merge', calm, other, '--quiet']);
    expect(merged.status).toBe(EXIT_OK);
    const lines = merged.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('faults='))).toHaveLength(2);
    expect(lines.at(-1)).toBe('merged 3 summaries: every oracle holds on all 24 seeds');
  });

  it('exits 3 and names the shards no summary covers', async () => {
    const dir = await farm(3);
    const partial = join(root, `partial-${farmCount++}`);
    for (const index of [1, 3]) {
      mkdirSync(join(partial, String(index)), { recursive: true });
      copyFileSync(
        join(dir, `shard-${index}`, 'summary.json'),
        join(partial, String(index), 's.json'),
      );
    }
    const merged = await run(['--merge', partial]);
    expect(merged.status).toBe(EXIT_INFRASTRUCTURE);
    expect(merged.stdout).toContain('MISSING 2/3');
    expect(merged.stdout).toContain('shards 2/3 missing');
    expect(merged.stdout.trimEnd().split('\n').at(-1)).toContain('INCOMPLETE');
  });

  it('exits 2 on a seed merged twice, a broken summary, or no summary at all', async () => {
    const dir = await farm(1);
    const twice = await run(['--merge', dir, join(dir, 'shard-1', 'summary.json')]);
    expect(twice.status).toBe(EXIT_USAGE);
    expect(twice.stderr).toMatch(/seed 1 of .* appears in both/);
    const broken = join(root, `broken-${farmCount++}`);
    mkdirSync(broken, { recursive: true });
    writeFileSync(
      join(broken, 'x.json'),
      JSON.stringify({ format: 'lakesync-sim-sweep', version: 1 }),
    );
    const bad = await run(['--merge', broken]);
    expect(bad.status).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain('range must be {first, last}');
    const empty = join(root, `empty-${farmCount++}`);
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'plan.json'), '{"version": 1}');
    const none = await run(['--merge', empty]);
    expect(none.status).toBe(EXIT_USAGE);
    expect(none.stderr).toContain('no sweep summaries found');
    expect((await run(['--merge', join(root, 'does-not-exist')])).status).toBe(EXIT_USAGE);
  });

  it('merges through the library as well, skipping JSON that is not a summary', async () => {
    const dir = await farm(2);
    const files = findSummaryFiles([dir]);
    expect(files.ok).toBe(true);
    if (!files.ok) return;
    // Summaries, plus the failing seeds' report JSON, which is skipped.
    expect(files.value.some((file) => file.endsWith('summary.json'))).toBe(true);
    expect(files.value.some((file) => /reports\/\d+\.json$/.test(file))).toBe(true);
    const found = readSummaries(files.value);
    expect(found.ok && found.value.length).toBe(2);
    const merged = found.ok ? mergeSummaries(found.value) : found;
    expect(merged.ok && merged.value.groups[0]?.shards).toEqual(['1/2', '2/2']);
    expect(existsSync(join(dir, 'shard-1', 'reports'))).toBe(true);
  });

  it('keeps the fake engine honest: a crash seed is merged as a crash', async () => {
    const dir = join(root, `crash-${farmCount++}`);
    const { status } = await run(
      ['--seeds', '13..13', '--jobs', '1', '--quiet', '--summary-json', join(dir, 's.json')],
      fakeEngine(),
    );
    expect(status).toBe(EXIT_VIOLATION);
    const merged = await run(['--merge', dir]);
    expect(merged.status).toBe(EXIT_VIOLATION);
    expect(merged.stdout.trimEnd().split('\n').at(-1)).toMatch(/first seed 13 \(CRASH\)/);
  });
});
