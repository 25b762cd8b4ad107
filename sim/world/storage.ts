import type { LakeAdapter, ObjectInfo } from '../../src/adapter/types';
import type { AdapterError } from '../../src/result/errors';
import { Err, type Result } from '../../src/result/result';
import type { Prng } from '../engine/prng';
import type { Scheduler } from '../engine/scheduler';
import type { Trace } from '../engine/trace';
import type { FaultRates } from '../types';
import type { FaultSink } from './fault-sink';
import { simAdapterError } from './stackless';

/** Counters of what storage did, for the summary table. */
export interface StorageCounters {
  puts: number;
  putsLanded: number;
  putsFailed: number;
  putsLostReply: number;
  putsDroppedByCrash: number;
  reads: number;
  readsFailed: number;
}

/** What the simulated store needs from the world. */
export interface StorageDeps {
  readonly scheduler: Scheduler;
  /** The `storage` stream: every per-call draw comes from here. */
  readonly prng: Prng;
  readonly trace: Trace;
  readonly rates: FaultRates;
  /** The real store underneath (a `MemoryAdapter`); it survives gateway crashes. */
  readonly inner: LakeAdapter;
  readonly onFault: FaultSink;
  /** An object landed in the store (a flush reached the lake). */
  readonly onLanded?: (path: string, bytes: number) => void;
  /** Whether drawn failures may happen now (a window focus, ADR-017); absent: always. */
  readonly faultsApply?: (nowMs: number) => boolean;
  /** State-triggered faults on storage events (ADR-017); absent: none. */
  readonly triggers?: StorageTriggerHooks;
}

/** What a landed put does when a trigger fires on it. */
export type LandedFault =
  | { readonly action: 'crash' }
  | { readonly action: 'lose-reply'; readonly delayMs: number };

/** The world's answers at the storage events a fault can be armed on. */
export interface StorageTriggerHooks {
  /**
   * Asked at the first read of a recovering session: the position (0-based, among the distinct
   * objects it reads) of one object whose every read then fails until the session has recovered,
   * or `null` for none.
   */
  recoveryPoison(): number | null;
  /** Asked when a put has landed: crash the gateway now, lose the reply late, or nothing. */
  landed(path: string): LandedFault | null;
}

/** A storage latency at or above this counts as a "slow storage" fault in the coverage table. */
export const SLOW_STORAGE_MS = 1_000;

/**
 * Reads fail at this share of the put failure rate: `FaultRates` has one storage failure knob,
 * and a store that fails puts tends to fail reads too, a little less often.
 */
export const READ_FAIL_SHARE = 0.5;

/** One gateway process's view of the store; `kill` when that process crashes. */
export interface StorageSession extends LakeAdapter {
  /** Calls in flight never complete; puts that have not landed yet never land. */
  kill(): void;
  /** The gateway opened over this session: recovery reads are over (no recovery faults any more). */
  recovered(): void;
}

/** One session's state: dead after a crash; recovery bookkeeping for the `recovery-read` trigger. */
interface SessionState {
  dead: boolean;
  recovering: boolean;
  /** `undefined` until the first recovery read asks; then the poisoned position, or `null`. */
  poisonAt: number | null | undefined;
  readonly readPaths: string[];
  poisonedPath: string | null;
}

/**
 * Object storage with seeded latency and failures, wrapping a real in-memory store.
 *
 * Every call takes a latency uniform in `[storageLatencyMsMin, storageLatencyMsMax]`. A put draws,
 * in this order: latency, fail, lost reply. A failed put never lands and reports `AdapterError`;
 * a put whose reply is lost lands at half its latency and still reports `AdapterError` (the caller
 * cannot tell the two apart, as with S3 timeouts); a healthy put lands at half its latency and
 * reports success at its end. Reads and deletes draw latency and fail with
 * `READ_FAIL_SHARE` × `storagePutFailProbability` (a failed read can make a restarting gateway's
 * `open` fail; the simulator retries it).
 *
 * No zombie writes: when the gateway process crashes its session is killed, and puts that have not
 * landed yet are dropped, as if the process died before its request left the machine. A put that
 * landed stays. (A real store may still apply a request already on the wire; ADR-012 records the
 * assumption.)
 */
export class SimStorage {
  readonly counters: StorageCounters = {
    puts: 0,
    putsLanded: 0,
    putsFailed: 0,
    putsLostReply: 0,
    putsDroppedByCrash: 0,
    reads: 0,
    readsFailed: 0,
  };
  /** Whether failures are drawn (false in the heal phase); latency always applies. */
  faultsActive = true;
  readonly #deps: StorageDeps;

  constructor(deps: StorageDeps) {
    this.#deps = deps;
  }

  /** The store underneath, for the oracles at the end of a run. */
  get inner(): LakeAdapter {
    return this.#deps.inner;
  }

  /** A new session for a gateway process. */
  session(): StorageSession {
    const state: SessionState = {
      dead: false,
      recovering: true,
      poisonAt: undefined,
      readPaths: [],
      poisonedPath: null,
    };
    const inner = this.#deps.inner;
    return {
      putObject: (path, data, contentType) => this.#put(state, path, data.slice(), contentType),
      getObject: (path) =>
        this.#call(state, `get ${path}`, () => inner.getObject(path), this.#poisoned(state, path)),
      headObject: (path) => this.#call(state, `head ${path}`, () => inner.headObject(path)),
      listObjects: (prefix) =>
        this.#call<ObjectInfo[]>(state, `list ${prefix}`, () => inner.listObjects(prefix)),
      deleteObject: (path) => this.#call(state, `delete ${path}`, () => inner.deleteObject(path)),
      deleteObjects: (paths) =>
        this.#call(state, `delete ${paths.length} objects`, () => inner.deleteObjects(paths)),
      kill: () => {
        state.dead = true;
      },
      recovered: () => {
        state.recovering = false;
      },
    };
  }

  #active(): boolean {
    return this.faultsActive && (this.#deps.faultsApply?.(this.#deps.scheduler.nowMs) ?? true);
  }

  /** Whether this recovery read is of the object a `recovery-read` trigger poisoned. */
  #poisoned(state: SessionState, path: string): boolean {
    const triggers = this.#deps.triggers;
    if (triggers === undefined || !state.recovering) return false;
    if (state.poisonAt === undefined) state.poisonAt = triggers.recoveryPoison();
    if (state.poisonAt === null) return false;
    if (!state.readPaths.includes(path)) state.readPaths.push(path);
    if (state.poisonedPath === null && state.readPaths.length - 1 === state.poisonAt)
      state.poisonedPath = path;
    return state.poisonedPath === path;
  }

  #put(
    state: SessionState,
    path: string,
    data: Uint8Array,
    contentType: string | undefined,
  ): Promise<Result<void, AdapterError>> {
    const { scheduler, prng, rates, trace, inner, onFault } = this.#deps;
    this.counters.puts++;
    const latencyMs = prng.between(rates.storageLatencyMsMin, rates.storageLatencyMsMax);
    const active = this.#active();
    const fails = prng.chance(rates.storagePutFailProbability) && active;
    const replyLost = prng.chance(rates.storageLostReplyProbability) && active;
    if (latencyMs >= SLOW_STORAGE_MS)
      onFault('slow-storage', 'lake', `put ${path} takes ${latencyMs} ms`);
    return new Promise((resolve) => {
      if (fails) {
        onFault('storage-put-fail', 'lake', `put ${path} failed, nothing landed`);
        scheduler.after(latencyMs, () => {
          if (state.dead) return;
          this.counters.putsFailed++;
          trace.record(`${scheduler.nowMs} put-failed ${path}`);
          resolve(Err(simAdapterError(`simulated put failure for ${path}`)));
        });
        return;
      }
      let landed: Result<void, AdapterError> | null = null;
      let armed: LandedFault | null = null;
      const landing = scheduler.after(Math.floor(latencyMs / 2), () => {
        if (state.dead) {
          this.counters.putsDroppedByCrash++;
          return;
        }
        this.counters.putsLanded++;
        trace.recordBytes(`${scheduler.nowMs} put-landed ${path}`, data);
        this.#deps.onLanded?.(path, data.length);
        void inner.putObject(path, data, contentType).then((result) => {
          landed = result;
        });
        if (this.faultsActive) armed = this.#deps.triggers?.landed(path) ?? null;
      });
      scheduler.after(latencyMs, () => {
        if (state.dead) return;
        scheduler.cancel(landing);
        if (landed === null) {
          resolve(Err(simAdapterError(`simulated store lost ${path} before it landed`)));
          return;
        }
        if (armed?.action === 'lose-reply') {
          // The write landed; its reply is lost, and the gateway hears so only much later, while
          // new deltas keep arriving (a state-triggered fault, ADR-017).
          scheduler.after(armed.delayMs, () => {
            if (state.dead) return;
            this.counters.putsLostReply++;
            trace.record(`${scheduler.nowMs} put-reply-lost-late ${path}`);
            resolve(Err(simAdapterError(`simulated timeout: reply for ${path} lost (it landed)`)));
          });
          return;
        }
        if (replyLost && landed.ok) {
          this.counters.putsLostReply++;
          onFault('storage-lost-reply', 'lake', `put ${path} landed but its reply was lost`);
          trace.record(`${scheduler.nowMs} put-reply-lost ${path}`);
          resolve(Err(simAdapterError(`simulated timeout: reply for ${path} lost (it landed)`)));
          return;
        }
        resolve(landed);
      });
    });
  }

  #call<T>(
    state: SessionState,
    what: string,
    call: () => Promise<Result<T, AdapterError>>,
    poisoned = false,
  ): Promise<Result<T, AdapterError>> {
    const { scheduler, prng, rates, trace, onFault } = this.#deps;
    this.counters.reads++;
    const latencyMs = prng.between(rates.storageLatencyMsMin, rates.storageLatencyMsMax);
    const fails =
      (prng.chance(rates.storagePutFailProbability * READ_FAIL_SHARE) && this.#active()) ||
      poisoned;
    return new Promise((resolve) => {
      scheduler.after(latencyMs, () => {
        if (state.dead) return;
        if (fails) {
          this.counters.readsFailed++;
          onFault('storage-read-fail', 'lake', `${what} failed`);
          trace.record(`${scheduler.nowMs} read-failed ${what}`);
          resolve(Err(simAdapterError(`simulated read failure: ${what}`)));
          return;
        }
        trace.record(`${scheduler.nowMs} read ${what}`);
        void call().then((result) => {
          if (!state.dead) resolve(result);
        });
      });
    });
  }
}
