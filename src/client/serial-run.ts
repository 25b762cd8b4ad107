/**
 * Runs a task one at a time, each run starting after the call that asked for it: at once when
 * none is running, else right after the running one, and callers that arrive meanwhile share that
 * next run. So a caller always gets a run that saw everything done before its call, and however
 * many callers pile up behind a run, they cost one more run between them. Used by a tab's sync
 * rounds (`RoundLoop`) and its outbox merges (`OutboxMerge`).
 */
export class SerialRun<T> {
  readonly #task: () => Promise<T>;
  #running: Promise<T> | null = null;
  #queued: Promise<T> | null = null;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  run(): Promise<T> {
    if (this.#queued !== null) return this.#queued;
    const running = this.#running;
    if (running === null) return this.#begin();
    const queued = running.then(() => {
      this.#queued = null;
      return this.#begin();
    });
    this.#queued = queued;
    return queued;
  }

  #begin(): Promise<T> {
    const run = this.#task().finally(() => {
      if (this.#running === run) this.#running = null;
    });
    this.#running = run;
    return run;
  }
}
