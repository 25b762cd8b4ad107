import { execFileSync } from 'node:child_process';
import { isAbsolute, relative } from 'node:path';

/**
 * How the user started the simulator, so that every command it prints (the `--help` usage, the
 * replay command after a failure, the report's replay box, rerun hints) runs as printed in the
 * same way: `npm run sim -- …`, `npx bun run sim …`, `bun run sim …`, `npm run sim:node -- …`,
 * or the entry file itself (`bun sim/main.ts …`, `npx tsx sim/main.ts …`).
 */
export interface Invocation {
  /** What goes before the simulator's own options, e.g. `npm run sim --`. */
  readonly prefix: string;
  /** Which launcher was recognised, for tests and diagnostics. */
  readonly launcher: 'npm' | 'npx-bun' | 'bun' | 'pnpm' | 'yarn' | 'bun-file' | 'tsx-file';
}

/** What the detection looks at; `sim/main.ts` passes the real process's, tests their own. */
export interface InvocationClues {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `process.versions.bun`, when running under Bun. */
  readonly bunVersion: string | undefined;
  /** `process.argv`. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /**
   * Asked only when the environment cannot tell `npm run sim` from `npx bun run sim` (npm 10 and
   * older name both `run-script`): true when a Bun process started this one's shell. Optional;
   * without it `npm run sim --` is printed, which also works wherever `npx bun run sim` does.
   */
  readonly startedByBun?: () => boolean;
}

/** The package scripts that start the simulator's entry file. */
const ENTRY_FILE = 'sim/main.ts';

/** The prefix used when nothing is known (tests, embedding): the design's own command. */
export const DEFAULT_INVOCATION: Invocation = { prefix: 'bun run sim', launcher: 'bun' };

/**
 * Works out how the simulator was started, from the package manager's environment
 * (`npm_lifecycle_event`, `npm_lifecycle_script`, `npm_config_user_agent`, `npm_command`), the
 * runtime (`process.versions.bun`) and `argv`. A lifecycle event counts only when its script runs
 * `sim/main.ts`, so a simulator spawned from inside another script (e.g. `npm test`) is not
 * mistaken for `npm run test`. Pure apart from the optional `startedByBun` question.
 */
export function detectInvocation(clues: InvocationClues): Invocation {
  const { env } = clues;
  const script = env.npm_lifecycle_event;
  const viaScript =
    script !== undefined &&
    script !== '' &&
    script !== 'npx' &&
    (env.npm_lifecycle_script ?? '').includes(ENTRY_FILE);
  if (viaScript) return viaPackageScript(clues, script);
  const entry = clues.argv[1] ?? ENTRY_FILE;
  const file = shellWord(displayEntry(entry, clues.cwd));
  return clues.bunVersion === undefined
    ? { prefix: `npx tsx ${file}`, launcher: 'tsx-file' }
    : { prefix: `bun ${file}`, launcher: 'bun-file' };
}

function viaPackageScript(clues: InvocationClues, script: string): Invocation {
  const agent = clues.env.npm_config_user_agent ?? '';
  const name = shellWord(script);
  if (agent.startsWith('bun/')) return { prefix: `bun run ${name}`, launcher: 'bun' };
  if (agent.startsWith('pnpm/')) return { prefix: `pnpm run ${name}`, launcher: 'pnpm' };
  if (agent.startsWith('yarn/')) return { prefix: `yarn run ${name}`, launcher: 'yarn' };
  // npm's agent: `npm run sim`, or `npx bun run sim` (Bun keeps the agent it inherits from npx).
  // Bun's own `run` names the command `run-script`; npm 11 names `npm run` just `run`.
  const command = clues.env.npm_command;
  const bunRan =
    clues.bunVersion !== undefined &&
    command === 'run-script' &&
    (npmMajor(agent) >= 11 || (clues.startedByBun?.() ?? false));
  return bunRan
    ? { prefix: `npx bun run ${name}`, launcher: 'npx-bun' }
    : { prefix: `npm run ${name} --`, launcher: 'npm' };
}

function npmMajor(agent: string): number {
  const match = /^npm\/(\d+)\./.exec(agent);
  return match === null ? 0 : Number(match[1]);
}

/** The entry file as the user would type it: relative to `cwd` when below it. */
function displayEntry(entry: string, cwd: string): string {
  if (!isAbsolute(entry)) return entry;
  const below = relative(cwd, entry);
  return below.startsWith('..') || isAbsolute(below) ? entry : below;
}

/** `word` quoted for a POSIX shell when it holds anything but safe characters. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `prefix` followed by the simulator's options, each shell-quoted as needed. */
export function commandLine(invocation: Invocation, options: readonly string[]): string {
  return [invocation.prefix, ...options.map(shellWord)].join(' ');
}

/** Most parent processes walked by `startedByBunProcess`. */
const PARENT_STEPS_MAX = 4;

/**
 * True when one of the few processes above `pid` is Bun, before any npm or Node process: the
 * tie-breaker `detectInvocation` asks for under npm 10 and older. Uses `ps` (Linux, macOS); false
 * wherever that fails. Called only by the entry point.
 */
export function startedByBunProcess(pid: number): boolean {
  let current = pid;
  for (let step = 0; step < PARENT_STEPS_MAX; step++) {
    let line: string;
    try {
      line = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(current)], {
        encoding: 'utf8',
        timeout: 2_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return false;
    }
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (match === null) return false;
    const parent = Number(match[1]);
    const name = (match[2] ?? '').split('/').pop() ?? '';
    if (step > 0 && /^bun/.test(name)) return true;
    if (step > 0 && /^(npm|node|npx)/.test(name)) return false;
    if (parent <= 1) return false;
    current = parent;
  }
  return false;
}
