import type { SeedOutcome, SeedSettings } from './seed-task';

/** What a seed worker is started with (`workerData`). */
export interface WorkerStart {
  readonly settings: SeedSettings;
}

/**
 * Parent → worker: run one seed, and shrink it if it fails and `shrink` is set. Workers run one
 * seed at a time, in the order given.
 */
export interface RunSeedMessage {
  readonly type: 'run';
  readonly seed: number;
  readonly shrink: boolean;
}

/** Worker → parent. `fatal` means the worker cannot run any seed (e.g. the engine failed to load). */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'outcome'; readonly outcome: SeedOutcome }
  | { readonly type: 'fatal'; readonly message: string };
