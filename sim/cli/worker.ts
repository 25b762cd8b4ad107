/**
 * A seed worker: loads the engine once, then runs each seed the parent sends (`RunSeedMessage`)
 * with `runSeedTask` and posts back its outcome. Started by `runSeedsInWorkers`, directly under
 * Bun and through `worker-bootstrap.mjs` (which registers tsx) under Node.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEngine } from './engine';
import { runSeedTask } from './seed-task';
import type { RunSeedMessage, WorkerMessage, WorkerStart } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('sim/cli/worker.ts must run as a worker thread');
const post = (message: WorkerMessage): void => port.postMessage(message);
const { settings } = workerData as WorkerStart;
const engine = await loadEngine();
if (engine.ok) {
  port.on('message', (message: RunSeedMessage) => {
    void runSeedTask(engine.value, message.seed, settings, message.shrink).then(
      (outcome) => post({ type: 'outcome', outcome }),
      (caught: unknown) =>
        post({ type: 'fatal', message: `seed ${message.seed}: ${String(caught)}` }),
    );
  });
  post({ type: 'ready' });
} else {
  post({ type: 'fatal', message: engine.error });
}
