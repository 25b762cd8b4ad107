import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlan } from '../scenario/run-plan';
import { generatePlan } from '../workload/generate-plan';
import { defaultSimConfig } from '../workload/sim-config';

const REPO = join(import.meta.dirname, '..', '..');
const BUN = join(REPO, 'node_modules', '.bin', 'bun');

/**
 * Oracle 7 across engines: the same plan must give the same trace hash on Node (this process)
 * and on Bun (a child process), which differ in JIT, promise internals and float printing.
 */
describe.skipIf(!existsSync(BUN))('determinism across Node and Bun', () => {
  it('gives the same trace hash for the same plan', async () => {
    const plan = generatePlan(
      defaultSimConfig(31, {
        clients: 5,
        durationMs: 15_000,
        healMs: 45_000,
        faultProfile: 'chaos',
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'lakesync-cross-engine-'));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const script = join(dir, 'hash.ts');
    writeFileSync(
      script,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { runPlan } from ${JSON.stringify(join(REPO, 'sim', 'scenario', 'run-plan.ts'))};`,
        `const result = await runPlan(JSON.parse(readFileSync(${JSON.stringify(planFile)}, 'utf8')));`,
        `console.log(result.traceHash);`,
      ].join('\n'),
    );
    const bun = spawnSync(BUN, [script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(bun.status, bun.stderr).toBe(0);
    const node = await runPlan(plan);
    expect(bun.stdout.trim()).toBe(node.traceHash);
  });
});
