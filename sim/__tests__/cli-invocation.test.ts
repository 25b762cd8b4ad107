import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { usage } from '../cli/help';
import { commandLine, detectInvocation, type InvocationClues, shellWord } from '../cli/invocation';
import { REPO_ROOT, replayCommand, seedCommand } from '../cli/paths';
import { run } from './cli-harness';

const NPM_11 = 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false';
const NPM_10 = 'npm/10.8.2 node/v20.19.0 linux x64 workspaces/false';
const BUN = 'bun/1.4.5 npm/? node/v26.3.0 linux x64';

/** The clues of a run started through a package script (`npm_*` as the launcher sets them). */
function viaScript(
  agent: string,
  command: string,
  script = 'sim',
  bun = true,
  fields: Partial<InvocationClues> = {},
): InvocationClues {
  return {
    env: {
      npm_config_user_agent: agent,
      npm_command: command,
      npm_lifecycle_event: script,
      npm_lifecycle_script: script === 'sim:node' ? 'tsx sim/main.ts' : 'bun sim/main.ts',
    },
    bunVersion: bun ? '1.4.5' : undefined,
    argv: ['/x/bun', '/repo/sim/main.ts'],
    cwd: '/repo',
    ...fields,
  };
}

describe('detectInvocation', () => {
  it.each([
    ['npm run sim (npm 11)', viaScript(NPM_11, 'run'), 'npm run sim --'],
    [
      'npm run sim (npm 10, started by npm)',
      viaScript(NPM_10, 'run-script', 'sim', true, { startedByBun: () => false }),
      'npm run sim --',
    ],
    ['npm run sim (npm 10, no process check)', viaScript(NPM_10, 'run-script'), 'npm run sim --'],
    ['npx bun run sim (npm 11)', viaScript(NPM_11, 'run-script'), 'npx bun run sim'],
    [
      'npx bun run sim (npm 10)',
      viaScript(NPM_10, 'run-script', 'sim', true, { startedByBun: () => true }),
      'npx bun run sim',
    ],
    ['bun run sim', viaScript(BUN, 'run-script'), 'bun run sim'],
    ['npm run sim:node', viaScript(NPM_11, 'run', 'sim:node', false), 'npm run sim:node --'],
    ['bun run sim:node', viaScript(BUN, 'run-script', 'sim:node', false), 'bun run sim:node'],
    ['pnpm run sim', viaScript('pnpm/9.0.0 npm/? node/v20', 'run'), 'pnpm run sim'],
    ['yarn run sim', viaScript('yarn/1.22.0 npm/? node/v20', 'run'), 'yarn run sim'],
  ])('%s → %s', (_name, clues, prefix) => {
    expect(detectInvocation(clues).prefix).toBe(prefix);
  });

  it('names the entry file when no package script started it', () => {
    const direct = { env: {}, argv: ['/usr/bin/node', '/repo/sim/main.ts'], cwd: '/repo' };
    expect(detectInvocation({ ...direct, bunVersion: '1.4.5' }).prefix).toBe('bun sim/main.ts');
    expect(detectInvocation({ ...direct, bunVersion: undefined }).prefix).toBe(
      'npx tsx sim/main.ts',
    );
    expect(detectInvocation({ ...direct, bunVersion: undefined, cwd: '/elsewhere' }).prefix).toBe(
      'npx tsx /repo/sim/main.ts',
    );
  });

  it('ignores a lifecycle event whose script is not the simulator (spawned from npm test)', () => {
    const clues = viaScript(NPM_11, 'run', 'test', false);
    const inTest = { ...clues, env: { ...clues.env, npm_lifecycle_script: 'vitest run' } };
    expect(detectInvocation(inTest).prefix).toBe('npx tsx sim/main.ts');
    const npx = { ...clues, env: { ...clues.env, npm_lifecycle_event: 'npx' } };
    expect(detectInvocation(npx).launcher).toBe('tsx-file');
  });
});

describe('commands as printed', () => {
  const npm = detectInvocation(viaScript(NPM_11, 'run'));

  it('quotes words a shell would split', () => {
    expect(shellWord('reports/7-min.json')).toBe('reports/7-min.json');
    expect(shellWord('my plans/7.json')).toBe("'my plans/7.json'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(commandLine(npm, ['--replay', 'a b.json'])).toBe("npm run sim -- --replay 'a b.json'");
  });

  it('names plans below the repository relative to it, others relative to the folder or absolute', () => {
    expect(replayCommand(join(REPO_ROOT, 'reports', '9-min.json'), '/tmp', npm)).toBe(
      'npm run sim -- --replay reports/9-min.json',
    );
    expect(replayCommand('/work/x/reports/9-min.json', '/work/x', npm)).toBe(
      'npm run sim -- --replay reports/9-min.json',
    );
    expect(replayCommand('/else/9-min.json', '/work/x', npm)).toBe(
      'npm run sim -- --replay /else/9-min.json',
    );
    expect(
      seedCommand(4, { clients: 3, durationMs: 2_500, faults: 'chaos', lake: 'none' }, npm),
    ).toBe('npm run sim -- --seed 4 --clients 3 --duration 2.5 --faults chaos --lake none');
  });

  it('prints --help usage, the replay command and the report box the way the user started', async () => {
    expect(usage(npm)).toContain(
      'usage: npm run sim -- [options]\n  e.g. npm run sim -- --seed 42\n',
    );
    const { status, stdout, dir } = await run(['--seed', '10', '--lake', 'none'], undefined, npm);
    expect(status).toBe(1);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(
      /→ npm run sim -- --replay reports\/10-min.json$/,
    );
    const html = readFileSync(join(dir, 'reports', 'sim', '10.html'), 'utf8');
    expect(html).toContain(
      '<pre id="replay-command">npm run sim -- --replay reports/10-min.json</pre>',
    );
    const bad = await run(['--seed', 'x'], undefined, npm);
    expect(bad.stderr).toContain('run npm run sim -- --help for usage');
  });
});

const reportDir = mkdtempSync(join(tmpdir(), 'lakesync-invocation-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/** The environment of a fresh shell: no variables a package manager set for this test run. */
function freshEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|_$|VITEST|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return env;
}

function shell(command: string) {
  const done = spawnSync('sh', ['-c', command], {
    cwd: REPO_ROOT,
    env: freshEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: done.status, stdout: done.stdout, stderr: done.stderr };
}

function traceHash(stdout: string): string | undefined {
  return /^trace hash: ([0-9a-f]+)$/m.exec(stdout)?.[1];
}

describe('the printed command runs as printed, end to end', () => {
  it.each([
    ['npm run sim --', 'npm run --silent sim --'],
    ['npx bun run sim', 'npx bun run sim'],
  ])(
    'started as `%s`: the report replay box reruns the same run',
    (prefix, typed) => {
      const first = shell(
        `${typed} --seed 5 --clients 3 --duration 2 --lake none --quiet --report ${reportDir}`,
      );
      expect(first.status).toBe(0);
      const html = readFileSync(join(reportDir, '5.html'), 'utf8');
      const printed = /<pre id="replay-command">([^<]*)<\/pre>/.exec(html)?.[1] ?? '';
      expect(printed).toBe(`${prefix} --seed 5 --clients 3 --duration 2 --lake none`);
      const again = shell(printed);
      expect(again.stderr).not.toContain('error');
      expect(again.status).toBe(0);
      expect(traceHash(again.stdout)).toBe(traceHash(first.stdout));
      expect(again.stdout.trimEnd().split('\n').at(-1)).toMatch(/^seed 5: every oracle holds/);
    },
    240_000,
  );
});
