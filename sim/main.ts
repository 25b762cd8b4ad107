/**
 * The simulator's entry point: `npm run sim -- …` / `npx bun run sim …` / `bun run sim …` (Bun)
 * and `npm run sim:node -- …` (Node via tsx) run this file and behave identically. The only place
 * that draws a seed from the OS, reads how the simulator was started and wires the real streams
 * and wall clock; everything else lives in `sim/cli/`. See `--help`.
 */
import { getRandomValues } from 'node:crypto';
import { runCli } from './cli/cli';
import { EXIT_INFRASTRUCTURE } from './cli/exit-status';
import { detectInvocation, startedByBunProcess } from './cli/invocation';
import { wallNowMs } from './cli/wall-clock';

/** A fresh 32-bit seed from the OS, used only when no `--seed`, `--seeds` or `--replay` is given. */
function freshSeed(): number {
  return getRandomValues(new Uint32Array(1))[0] ?? 0;
}

const invocation = detectInvocation({
  env: process.env,
  bunVersion: process.versions.bun,
  argv: process.argv,
  cwd: process.cwd(),
  startedByBun: () => startedByBunProcess(process.pid),
});

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  freshSeed,
  wallNowMs,
  invocation,
}).catch((caught: unknown) => {
  const message = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
  process.stderr.write(`internal error (a bug in the simulator): ${message}\n`);
  return EXIT_INFRASTRUCTURE;
});

// Exit explicitly once stdout has drained: an S3 client's keep-alive sockets must not hold the
// process open after the verdict is printed.
process.exitCode = status;
process.stdout.write('', () => process.exit(status));
