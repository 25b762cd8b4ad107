import type { SyncQueue, TabSession } from '../../../src/browser';
import { type Todo, todosOf } from './todos';

/** What the browser tests (and a curious developer's console) can reach as `window.lakesync`. */
export interface TodoTestHooks {
  readonly clientId: string;
  /** Runs one sync round now (under the tabs' sync lock) and says how it went. */
  syncNow(): Promise<{ ok: boolean; pushed: number; pulled: number; error: string | null }>;
  /** The todos this tab shows. */
  todos(): Todo[];
  /** Entries in the shared outbox. */
  outboxDepth(): Promise<number>;
  /** The shared outbox's entries as `[deltaId, status]`, in push order. */
  outboxEntries(): Promise<Array<[string, string]>>;
  /** The ids of the deltas this tab wrote, in order. */
  writtenIds(): string[];
  /** Sync rounds this tab finished. */
  rounds(): number;
}

declare global {
  interface Window {
    lakesync?: TodoTestHooks;
  }
}

/** Installs `window.lakesync` once the session is open (tests wait for it). */
export function installTestHooks(context: {
  readonly session: TabSession;
  readonly queue: SyncQueue;
  readonly clientId: string;
  readonly written: readonly string[];
  readonly redraw: () => void;
}): void {
  const { session } = context;
  window.lakesync = {
    clientId: context.clientId,
    async syncNow() {
      const result = await session.syncNow();
      context.redraw();
      return result.ok
        ? { ok: true, pushed: result.value.pushed, pulled: result.value.pulled, error: null }
        : {
            ok: false,
            pushed: 0,
            pulled: 0,
            error: `${result.error.code}: ${result.error.message}`,
          };
    },
    todos: () => todosOf(session.rows()),
    async outboxDepth() {
      const depth = await session.outboxDepth();
      return depth.ok ? depth.value : -1;
    },
    async outboxEntries() {
      const entries = await context.queue.entries();
      if (!entries.ok) return [];
      return entries.value.map((entry): [string, string] => [entry.id, entry.status]);
    },
    writtenIds: () => [...context.written],
    rounds: () => session.status().rounds,
  };
}
