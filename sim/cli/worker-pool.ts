import { Worker } from 'node:worker_threads';
import { Err, Ok, type Result } from '../../src/result/result';
import type { SeedOutcome, SeedSettings } from './seed-task';
import type { RunSeedMessage, WorkerMessage, WorkerStart } from './worker-protocol';

/** True under Bun, which starts worker threads on .ts files itself. */
export function isBun(): boolean {
  return typeof process.versions.bun === 'string';
}

/**
 * The worker entry for this runtime: `worker.ts` under Bun; under Node a small `.mjs` bootstrap
 * that registers tsx first (Node neither starts workers on .ts files nor passes the parent's tsx
 * loader on to them).
 */
export function workerEntry(): URL {
  return new URL(isBun() ? './worker.ts' : './worker-bootstrap.mjs', import.meta.url);
}

/** Options of a worker pool run. */
export interface PoolOptions {
  /** Worker threads started (each runs one seed at a time). */
  readonly jobs: number;
  readonly settings: SeedSettings;
  /** Called on the main thread with each seed's outcome, in completion order. */
  readonly onOutcome: (outcome: SeedOutcome) => void;
  /** Asked as each seed is handed out: shrink it if it fails? */
  readonly shrinkNext: () => boolean;
}

/**
 * Runs every seed of `seeds` on `jobs` worker threads, handing the next seed to whichever worker
 * finishes first, so slow seeds do not hold the others up. Resolves when every seed has an outcome
 * and the workers have been terminated; resolves to `Err` (after terminating every worker) when a
 * worker cannot start, crashes or reports a fatal error, naming the seed it was running. Never
 * throws.
 */
export function runSeedsInWorkers(
  seeds: Iterator<number>,
  options: PoolOptions,
): Promise<Result<void, string>> {
  return new Promise((resolve) => {
    const workers: Worker[] = [];
    let finished = 0;
    let settled = false;
    const settle = (outcome: Result<void, string>): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      resolve(outcome);
    };
    const start: WorkerStart = { settings: options.settings };
    for (let index = 0; index < options.jobs; index++) {
      let running: number | null = null;
      let done = false;
      let worker: Worker;
      try {
        worker = new Worker(workerEntry(), { workerData: start });
      } catch (caught) {
        settle(Err(`cannot start a worker thread: ${String(caught)}`));
        return;
      }
      workers.push(worker);
      const next = (): void => {
        const seed = seeds.next();
        if (seed.done === true) {
          running = null;
          done = true;
          finished++;
          void worker.terminate();
          if (finished === options.jobs) settle(Ok(undefined));
          return;
        }
        running = seed.value;
        const message: RunSeedMessage = {
          type: 'run',
          seed: seed.value,
          shrink: options.shrinkNext(),
        };
        worker.postMessage(message);
      };
      const where = (): string => (running === null ? '' : ` while running seed ${running}`);
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        if (message.type === 'fatal')
          return settle(Err(`worker ${index + 1} failed${where()}: ${message.message}`));
        if (message.type === 'outcome') options.onOutcome(message.outcome);
        next();
      });
      worker.on('error', (error: Error) =>
        settle(Err(`worker ${index + 1} crashed${where()}: ${error.stack ?? error.message}`)),
      );
      worker.on('exit', (code: number) => {
        if (!done) settle(Err(`worker ${index + 1} exited with code ${code}${where()}`));
      });
    }
  });
}
