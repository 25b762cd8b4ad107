import { spawn } from 'node:child_process';
import { bunRuntime } from './listen';

/** Set in the child so that a relaunched process never relaunches again. */
const RELAUNCHED_ENV = 'LAKESYNC_RELAUNCHED';

/**
 * `bun run gateway` runs the package script `tsx server/main.ts`, which starts Node. When the
 * script was started by Bun (`npm_config_user_agent` begins `bun/`, `npm_execpath` is Bun's
 * binary) and this process is not Bun, re-runs `script` under that Bun with the same arguments,
 * relays SIGINT/SIGTERM to it and returns its exit code; returns `null` when no relaunch is
 * needed. So `npm run gateway` serves on Node and `bun run gateway` on Bun, from one script line.
 */
export function relaunchUnderBunIfAsked(
  script: string,
  argv: readonly string[],
): Promise<number> | null {
  const env = process.env;
  const bunPath = env.npm_execpath;
  if (bunRuntime() !== null || env[RELAUNCHED_ENV] === '1') return null;
  if (!(env.npm_config_user_agent ?? '').startsWith('bun/') || bunPath === undefined) return null;
  // Its own process group: a Ctrl-C reaches the child once, through the relay below, not also
  // straight from the terminal (a second signal means "exit without flushing" to the CLI).
  const child = spawn(bunPath, [script, ...argv], {
    stdio: 'inherit',
    detached: true,
    env: { ...env, [RELAUNCHED_ENV]: '1' },
  });
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const relay = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', relay('SIGINT'));
  process.on('SIGTERM', relay('SIGTERM'));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`cannot start Bun at ${bunPath}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
