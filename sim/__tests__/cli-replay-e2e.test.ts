import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/paths';
import { PLANTED_BUGS } from '../prove/catalogue';
import { plantInScratch, scratchDir } from '../prove/scratch';

/**
 * A real failure, end to end: plant a catalogued bug in a scratch copy, let the simulator find it
 * through `npm run sim:node --`, then run the replay command exactly as it printed it.
 */
const BUG_ID = 'tiebreak-reversed';
const bug = PLANTED_BUGS.find((candidate) => candidate.id === BUG_ID);
const scratchRoot = mkdtempSync(join(tmpdir(), 'lakesync-replay-e2e-'));
afterAll(() => rmSync(scratchRoot, { recursive: true, force: true }));
const planted =
  bug === undefined
    ? `bug ${BUG_ID} is not in the catalogue`
    : plantInScratch(REPO_ROOT, scratchRoot, bug);
if (planted !== null) console.warn(`cli-replay-e2e skipped: ${planted}`);

/** The environment of a fresh shell: no variables a package manager set for this test run. */
function freshEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|_$|VITEST|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return env;
}

function shell(command: string, cwd: string) {
  const done = spawnSync('sh', ['-c', command], {
    cwd,
    env: freshEnv(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  const lines = done.stdout.trimEnd().split('\n');
  return {
    status: done.status,
    stdout: done.stdout,
    stderr: done.stderr,
    verdict: lines.at(-1) ?? '',
  };
}

describe.skipIf(planted !== null)('a real failure replays with the command it printed', () => {
  it('prints `npm run sim:node -- --replay …` and that command reproduces the violation', () => {
    const cwd = bug === undefined ? scratchRoot : scratchDir(scratchRoot, bug);
    const first = shell(
      'npm run -s sim:node -- --seed 1 --faults none --clients 8 --duration 30 --lake none --shrink-runs 15 --quiet',
      cwd,
    );
    expect(first.status).toBe(1);
    const found =
      /^seed 1: FAIL ([a-z-]+) at .* → npm run sim:node -- --replay reports\/1-min\.json$/.exec(
        first.verdict,
      );
    expect(found, first.verdict).not.toBeNull();
    const oracle = found?.[1] ?? '';
    const printed = first.verdict.slice(first.verdict.indexOf('→ ') + 2);
    const again = shell(printed, cwd);
    expect(again.stderr).not.toContain('error');
    expect(again.status).toBe(1);
    // The shrinker keeps plans that still break the same oracle (not always first): any FAIL,
    // printed with the same command.
    expect(oracle).not.toBe('');
    expect(again.verdict).toMatch(
      /^replay of reports\/1-min\.json \(seed 1\): FAIL [a-z-]+ at .* → npm run sim:node -- --replay reports\/1-min\.json$/,
    );
  }, 600_000);
});
