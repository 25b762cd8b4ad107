import { LakeSyncError } from '../result/errors';
import { Err, type Result } from '../result/result';

/**
 * Exclusive named locks shared by every tab of one origin: the part of the Web Locks API
 * (`navigator.locks`) that several tabs over one outbox need. Contract: at most one holder of a
 * name at a time across all tabs; a waiter is granted the lock after the holder's `work`
 * settles, or when the holder's tab closes (the browser releases it); `exclusive` never rejects.
 * Real: `webTabLocks(navigator.locks)`; tests: `MemoryLockHub`.
 */
export interface TabLocks {
  /**
   * Runs `work` while holding the exclusive lock `name`, waiting while another holder has it.
   * Resolves to what `work` resolved to, or `Err` (code `TAB_LOCK_FAILED`) when the lock could not
   * be taken or `work` threw.
   */
  exclusive<T>(
    name: string,
    work: () => Promise<Result<T, LakeSyncError>>,
  ): Promise<Result<T, LakeSyncError>>;
}

/** The error code of a lock that could not be taken or whose holder threw. */
export const TAB_LOCK_FAILED = 'TAB_LOCK_FAILED';

/** `TabLocks` over the browser's Web Locks API (pass `navigator.locks`). */
export function webTabLocks(locks: LockManager): TabLocks {
  return {
    async exclusive(name, work) {
      try {
        return await locks.request(name, { mode: 'exclusive' }, () => work());
      } catch (caught) {
        return Err(lockFailure(name, caught));
      }
    },
  };
}

interface Waiter {
  readonly tab: MemoryTabLocks;
  readonly grant: () => void;
}

interface LockState {
  holder: MemoryTabLocks | null;
  readonly waiters: Waiter[];
}

/**
 * In-memory Web Locks for tests: one hub is one origin, `tab()` is one tab's `navigator.locks`.
 * Waiters are granted in request order. `MemoryTabLocks.close()` models closing the tab: the
 * locks it holds are released at once (whatever its code is still doing) and its waiters dropped.
 */
export class MemoryLockHub {
  readonly #locks = new Map<string, LockState>();

  /** The locks of one new tab of this origin. */
  tab(): MemoryTabLocks {
    return new MemoryTabLocks(this);
  }

  /** The tab holding `name`, or `null` (for assertions). */
  holder(name: string): MemoryTabLocks | null {
    return this.#locks.get(name)?.holder ?? null;
  }

  /** @internal Resolves once `tab` holds `name`. */
  acquire(name: string, tab: MemoryTabLocks): Promise<void> {
    let state = this.#locks.get(name);
    if (state === undefined) {
      state = { holder: null, waiters: [] };
      this.#locks.set(name, state);
    }
    if (state.holder === null) {
      state.holder = tab;
      return Promise.resolve();
    }
    const waiting = state;
    return new Promise((resolve) => waiting.waiters.push({ tab, grant: resolve }));
  }

  /** @internal Releases `name` if `tab` holds it and grants it to the next waiter. */
  release(name: string, tab: MemoryTabLocks): void {
    const state = this.#locks.get(name);
    if (state === undefined || state.holder !== tab) return;
    const next = state.waiters.shift();
    state.holder = next?.tab ?? null;
    next?.grant();
  }

  /** @internal Releases everything `tab` holds and forgets its waiters. */
  closeTab(tab: MemoryTabLocks): void {
    for (const [name, state] of this.#locks) {
      for (let index = state.waiters.length - 1; index >= 0; index--) {
        if (state.waiters[index]!.tab === tab) state.waiters.splice(index, 1);
      }
      this.release(name, tab);
    }
  }
}

/** One tab's view of a `MemoryLockHub`. */
export class MemoryTabLocks implements TabLocks {
  readonly #hub: MemoryLockHub;
  #closed = false;

  constructor(hub: MemoryLockHub) {
    this.#hub = hub;
  }

  async exclusive<T>(
    name: string,
    work: () => Promise<Result<T, LakeSyncError>>,
  ): Promise<Result<T, LakeSyncError>> {
    if (this.#closed) return Err(lockFailure(name, new Error('the tab is closed')));
    await this.#hub.acquire(name, this);
    try {
      return await work();
    } catch (caught) {
      return Err(lockFailure(name, caught));
    } finally {
      this.#hub.release(name, this);
    }
  }

  /** Closes the tab: its locks are released now and its waiting requests never granted. */
  close(): void {
    this.#closed = true;
    this.#hub.closeTab(this);
  }
}

function lockFailure(name: string, caught: unknown): LakeSyncError {
  const cause = caught instanceof Error ? caught : new Error(String(caught));
  return new LakeSyncError(TAB_LOCK_FAILED, `lock ${name}: ${cause.message}`, cause);
}
