import type { CliOptions } from './args';
import type { SimEngine } from './engine';
import { DEFAULT_INVOCATION, type Invocation } from './invocation';
import type { ProgressSink } from './progress';

/** A text stream the CLI prints to. */
export interface OutputSink {
  write(text: string): unknown;
}

/**
 * Everything the CLI touches outside itself, injected by `sim/main.ts` (real streams, the OS seed
 * source, the wall clock) and replaced in tests.
 */
export interface CliIo {
  readonly stdout: OutputSink;
  readonly stderr: ProgressSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** A fresh seed from the OS, drawn only when no seed was given. */
  readonly freshSeed: () => number;
  /** Wall milliseconds, for progress and wall-time figures only. */
  readonly wallNowMs: () => number;
  /** How the simulator was started, for the commands it prints (default `bun run sim`). */
  readonly invocation?: Invocation;
}

/** What one invocation works with once its arguments and the engine are loaded. */
export interface CliContext {
  readonly io: CliIo;
  readonly engine: SimEngine;
  readonly options: CliOptions;
  /** Absolute folder of the HTML/JSON reports. */
  readonly reportDir: string;
  /** Absolute folder of `<seed>-min.json` (the repository's `reports/`). */
  readonly minPlanDir: string;
}

/** Prints `text` and a newline to stdout. */
export function say(context: Pick<CliContext, 'io'>, text: string): void {
  context.io.stdout.write(`${text}\n`);
}

/** How the simulator was started (`io.invocation`, else `bun run sim`). */
export function invocationOf(context: Pick<CliContext, 'io'>): Invocation {
  return context.io.invocation ?? DEFAULT_INVOCATION;
}
