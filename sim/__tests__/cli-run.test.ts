import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimEngine } from '../cli/engine';
import { parsePlan, serialisePlan } from '../cli/plan-file';
import { healMsFloor } from '../cli/shrink-failure';
import type { Plan } from '../types';
import { fakeEngine, ORACLES_CHECKED, RATES, root, run } from './cli-harness';

describe('runCli with a stand-in engine', () => {
  it('passes a seed: exit 0, summary table, trace hash line, report files', async () => {
    const { status, stdout, dir } = await run(['--seed', '7', '--lake', 'none', '--report', 'out']);
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('seed: 7');
    expect(stdout).toContain('summary\n  clients');
    expect(stdout).toMatch(/^trace hash: [0-9a-f]{32}$/m);
    expect(existsSync(join(dir, 'out', '7.html'))).toBe(true);
    expect(readFileSync(join(dir, 'out', '7.html'), 'utf8')).toContain('bun run sim --seed 7');
    expect(existsSync(join(dir, 'out', '7.json'))).toBe(true);
  });

  it('draws a fresh seed only when none is given, and prints it', async () => {
    const { status, stdout } = await run(['--lake', 'none', '--quiet']);
    expect(status).toBe(0);
    expect(stdout).toContain('seed: 4242 (fresh; rerun with: bun run sim --seed 4242 --lake none)');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      `seed 4242: every oracle holds (${ORACLES_CHECKED} of ${ORACLES_CHECKED}, lake-roundtrip not run)`,
    );
    expect(stdout).not.toContain('summary');
  });

  it('on a violation prints the oracle, shrinks, writes the minimal plan and one replay command', async () => {
    const { status, stdout, dir } = await run(['--seed', '10', '--lake', 'none']);
    expect(status).toBe(1);
    expect(stdout).toContain('FAIL convergence at 20000 ms: client-1 <b>differs</b>');
    expect(stdout).toMatch(/shrunk in \d+ runs: 3 clients, 60 events .* → 2 clients, 2 events/);
    expect(stdout.match(/bun run sim --replay/g)).toHaveLength(1);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      `seed 10: FAIL convergence at 20,000 ms, 1 of ${ORACLES_CHECKED} oracles broken → bun run sim --replay reports/10-min.json`,
    );
    const minimal = parsePlan(
      JSON.parse(readFileSync(join(dir, 'reports', '10-min.json'), 'utf8')),
    );
    expect(minimal.ok).toBe(true);
    if (!minimal.ok) return;
    expect(
      minimal.value.events.map((event) => (event.kind === 'write' ? event.values.marker : '')),
    ).toEqual(['X', 'Y']);
    const html = readFileSync(join(dir, 'reports', 'sim', '10.html'), 'utf8');
    expect(html).toContain('bun run sim --replay reports/10-min.json');
    expect(html).toMatch(/shrunk in<\/th><td class="mono">\d+ runs/);
    expect(html).not.toContain('<script>x');
  });

  it('replays a plan file exactly', async () => {
    const engine = fakeEngine();
    const plan = engine.generatePlan(engine.defaultSimConfig(3));
    const file = join(root, 'plan-3.json');
    writeFileSync(file, serialisePlan(plan));
    const seen: Plan[] = [];
    const { status, stdout } = await run(
      ['--replay', file, '--lake', 'none', '--quiet'],
      fakeEngine(seen),
    );
    expect(status).toBe(0);
    expect(stdout).toContain(`replaying ${file} (seed 3, 60 events)`);
    expect(seen).toEqual([plan, plan]);
  });

  it('runs a passing plan twice and reports differing trace hashes as a determinism violation', async () => {
    const { status, stdout } = await run(
      ['--seed', '8', '--lake', 'none', '--shrink-runs', '0'],
      fakeEngine([], true),
    );
    expect(status).toBe(1);
    expect(stdout).toMatch(
      /FAIL determinism at 20000 ms: the same plan gave trace hash [0-9a-f]+, then [0-9a-f]+/,
    );
    expect(stdout).toMatch(/→ bun run sim --replay reports\/8-min.json\n$/);
  });

  it('rejects a malformed plan file with exit 2', async () => {
    const file = join(root, 'bad-plan.json');
    writeFileSync(file, JSON.stringify({ version: 1, seed: 1, config: {}, events: [] }));
    const { status, stderr } = await run(['--replay', file]);
    expect(status).toBe(2);
    expect(stderr).toContain('is not a valid plan: config');
    expect((await run(['--replay', join(root, 'missing.json')])).status).toBe(2);
  });

  it('reports an engine that throws as a crash, shrunk like any failure', async () => {
    const { status, stdout, dir } = await run(['--seed', '13', '--lake', 'none', '--quiet']);
    expect(status).toBe(1);
    expect(stdout).toContain('CRASH: the engine threw: Error: engine exploded');
    expect(stdout).not.toContain('trace hash:');
    const minimal = JSON.parse(readFileSync(join(dir, 'reports', '13-min.json'), 'utf8')) as Plan;
    expect(minimal.events).toHaveLength(1);
    expect(stdout).toMatch(
      /\nseed 13: CRASH, the engine threw Error: engine exploded → bun run sim --replay reports\/13-min.json\n$/,
    );
  });

  it('runs a seed range: one line per failing seed in order, a tally, a combined hash, exit 1', async () => {
    const { status, stdout } = await run([
      '--seeds',
      '1..12',
      '--jobs',
      '1',
      '--quiet',
      '--shrink-runs',
      '20',
    ]);
    expect(status).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^seed 5 FAIL convergence at 20000 ms: .* → bun run sim --replay reports\/5-min.json$/,
    );
    expect(lines[1]).toMatch(/^seed 10 FAIL convergence/);
    expect(lines[2]).toMatch(
      /^seeds 1\.\.12: 12 of 12 run, 10 passed, 2 failed \(.* s wall, 1 job\)$/,
    );
    expect(lines[3]).toMatch(/^trace hash: [0-9a-f]{64}$/);
  });

  it('shrinks only the first failing seeds of a range and writes the rest unshrunk', async () => {
    const { status, stdout, dir } = await run(
      ['--seeds', '1..14', '--jobs', '1', '--quiet', '--shrink-runs', '5'],
      fakeEngine([], false, 1),
    );
    expect(status).toBe(1);
    const lines = stdout.split('\n').filter((line) => line.startsWith('seed '));
    expect(lines).toHaveLength(14);
    expect(lines.filter((line) => line.endsWith('(not shrunk)'))).toHaveLength(4);
    expect(lines[12]).toContain('seed 13 CRASH Error: engine exploded');
    expect(lines[13]).toBe(
      'seed 14 FAIL convergence at 20000 ms: client-1 <b>differs</b> → bun run sim --replay reports/14-min.json (not shrunk)',
    );
    const unshrunk = JSON.parse(readFileSync(join(dir, 'reports', '14-min.json'), 'utf8')) as Plan;
    expect(unshrunk.events).toHaveLength(60);
  });

  it('runs only its shard and passes when every seed there passes', async () => {
    const { status, stdout } = await run(['--seeds', '1..12', '--shard', '2/5', '--jobs', '1']);
    expect(status).toBe(0);
    expect(stdout).toContain('seeds 1..12 (shard 2/5): 3 of 3 run, 3 passed, 0 failed');
  });

  it('exits 2 with a clear message when the engine is missing', async () => {
    const { status, stderr } = await run(['--seed', '1'], null);
    expect(status).toBe(2);
    expect(stderr).toContain('not yet implemented');
  });

  it('exits 2 on bad usage and 0 on --help', async () => {
    const bad = await run(['--seeds', '3..1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('run bun run sim --help for usage');
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--shard i/n');
  });
});

describe('healMsFloor', () => {
  it('asks the engine for the heal time of the rates, covering skews the events still hold', () => {
    const engine: SimEngine = {
      ...fakeEngine(),
      minimumHealMs: (faults, durationMs) =>
        30_000 + faults.clockSkewMsMax + (faults.clockDriftPpmMax * durationMs) / 1_000_000,
    };
    const plan = fakeEngine().generatePlan(fakeEngine().defaultSimConfig(1));
    const floor = healMsFloor(engine, plan);
    expect(floor(plan)).toBe(31_000.1);
    const zeroed: Plan = {
      ...plan,
      config: { ...plan.config, faults: { ...RATES, clockSkewMsMax: 0, clockDriftPpmMax: 0 } },
    };
    expect(floor(zeroed)).toBe(30_000);
    const skewed: Plan = {
      ...zeroed,
      events: [{ kind: 'clock-skew', atMs: 1, client: 0, skewMs: -7_000, driftPpm: -500 }],
    };
    expect(floor(skewed)).toBe(37_005);
  });

  it('keeps the original heal phase when the engine cannot say', () => {
    const plan = fakeEngine().generatePlan(fakeEngine().defaultSimConfig(1));
    expect(
      healMsFloor(fakeEngine(), plan)({ ...plan, config: { ...plan.config, healMs: 1 } }),
    ).toBe(10_000);
  });
});
