import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { QueueError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import {
  DEFAULT_QUEUE_OPTIONS,
  type OutboxMark,
  type QueueEntry,
  type QueueOptions,
  type Restamp,
  type RestampOptions,
} from './types';

/**
 * What both outbox implementations agree on at their edge: which inputs they accept, how a
 * delta is copied in, and what an entry handed back to a caller looks like. Keeping it in one
 * place is what lets one contract suite hold both `MemoryQueue` and `IdbQueue` to the same
 * behaviour on bad input.
 */

/** One more than the largest HLC: HLCs are 64-bit. */
const HLC_LIMIT = 1n << 64n;

/** Hex digits of a 64-bit HLC, so that fixed-width hex strings sort as the HLCs do. */
const HLC_HEX_DIGITS = 16;

/** Resolves partial options over the defaults; `QueueError` unless `entriesMax` is a positive integer. */
export function resolveQueueOptions(
  options: Partial<QueueOptions> | undefined,
): Result<QueueOptions, QueueError> {
  const entriesMax = options?.entriesMax ?? DEFAULT_QUEUE_OPTIONS.entriesMax;
  if (!Number.isSafeInteger(entriesMax) || entriesMax < 1) {
    return Err(new QueueError(`entriesMax must be a positive integer, got ${String(entriesMax)}`));
  }
  return Ok(Object.freeze({ entriesMax }));
}

/** `Ok` when `hlc` is a 64-bit HLC; `QueueError` naming `what` otherwise. */
export function checkHlc(hlc: unknown, what: string): Result<HLCTimestamp, QueueError> {
  if (typeof hlc !== 'bigint' || hlc < 0n || hlc >= HLC_LIMIT) {
    return Err(new QueueError(`${what} must be a 64-bit HLC, got ${describe(hlc)}`));
  }
  return Ok(hlc as HLCTimestamp);
}

/** `Ok` when `limit` is a non-negative integer; `QueueError` otherwise. */
export function checkLimit(limit: unknown): Result<number, QueueError> {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    return Err(new QueueError(`limit must be a non-negative integer, got ${describe(limit)}`));
  }
  return Ok(limit);
}

/** `since` as an `OutboxMark` (`SyncQueue.entriesSince`), or `QueueError` naming what is wrong. */
export function checkMark(since: unknown): Result<OutboxMark, QueueError> {
  if (typeof since !== 'object' || since === null) {
    return Err(new QueueError(`mark must be an object, got ${describe(since)}`));
  }
  const { seq, restamps, incarnation } = since as {
    seq?: unknown;
    restamps?: unknown;
    incarnation?: unknown;
  };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return Err(new QueueError(`mark seq must be a non-negative integer, got ${describe(seq)}`));
  }
  const known = typeof restamps === 'number' && Number.isSafeInteger(restamps) && restamps >= 0;
  if (restamps !== null && !known) {
    return Err(
      new QueueError(
        `mark restamps must be a non-negative integer or null, got ${describe(restamps)}`,
      ),
    );
  }
  if (incarnation !== null && typeof incarnation !== 'string') {
    return Err(
      new QueueError(`mark incarnation must be a string or null, got ${describe(incarnation)}`),
    );
  }
  return Ok({ seq, restamps: restamps as number | null, incarnation });
}

/**
 * Whether a reader at `since` must read every entry of the outbox whose own mark (every seq
 * handed out, its restamp count and incarnation) is `now`: when the outbox was restamped since,
 * the restamp count is not known, or the mark is not this outbox's (another incarnation, or a
 * `seq` beyond any it has handed out). Otherwise the entries above `since.seq` are all it lacks.
 */
export function markReadsAll(since: OutboxMark, now: OutboxMark): boolean {
  return (
    since.restamps !== now.restamps || since.incarnation !== now.incarnation || since.seq > now.seq
  );
}

/** The distinct ids of `ids`, first occurrence first; `QueueError` unless it is an array of strings. */
export function checkIds(ids: unknown): Result<string[], QueueError> {
  if (!Array.isArray(ids)) return Err(new QueueError(`ids must be an array, got ${describe(ids)}`));
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') {
      return Err(new QueueError(`ids must be strings, got ${describe(id)}`));
    }
    seen.add(id);
  }
  return Ok([...seen]);
}

/**
 * Checks the argument of `SyncQueue.restamp` and copies its deltas: an array of `{id, delta}`
 * whose ids are distinct strings and whose deltas have the outbox's shape, with distinct new
 * `deltaId`s. Returns the replacements with frozen copies of their deltas; `QueueError` otherwise.
 * Whether the ids are queued, and in which state, is the queue's own check.
 */
export function checkRestamps(replacements: unknown): Result<Restamp[], QueueError> {
  if (!Array.isArray(replacements)) {
    return Err(new QueueError(`replacements must be an array, got ${describe(replacements)}`));
  }
  const ids = new Set<string>();
  const newIds = new Set<string>();
  const copies: Restamp[] = [];
  for (const replacement of replacements as unknown[]) {
    const { id, delta } = (replacement ?? {}) as Partial<Record<keyof Restamp, unknown>>;
    if (typeof id !== 'string') {
      return Err(new QueueError(`a replacement's id must be a string, got ${describe(id)}`));
    }
    if (ids.has(id)) return Err(new QueueError(`entry ${id} is restamped twice; nothing changed`));
    ids.add(id);
    const shape = checkDeltaShape(delta);
    if (!shape.ok) return shape;
    if (newIds.has(shape.value.deltaId)) {
      return Err(new QueueError(`two replacements share deltaId ${shape.value.deltaId}`));
    }
    newIds.add(shape.value.deltaId);
    const copy = frozenDeltaCopy(shape.value);
    if (!copy.ok) return copy;
    copies.push({ id, delta: copy.value });
  }
  return Ok(copies);
}

/** `RestampOptions` once checked: the held ids (distinct) and the `lastHlc` floor, if any. */
export interface CheckedRestampOptions {
  readonly held: readonly string[];
  readonly lastHlcMin: HLCTimestamp | null;
}

/**
 * Checks the options of `SyncQueue.restamp` against its checked replacements: `held` an array of
 * distinct strings none of which is also replaced, `lastHlcMin` a 64-bit HLC. `QueueError`
 * otherwise. Whether the held ids are queued, and in which state, is the queue's own check.
 */
export function checkRestampOptions(
  options: RestampOptions | undefined,
  replacements: readonly Restamp[],
): Result<CheckedRestampOptions, QueueError> {
  if (options === undefined) return Ok({ held: [], lastHlcMin: null });
  if (typeof options !== 'object' || options === null) {
    return Err(new QueueError(`restamp options must be an object, got ${describe(options)}`));
  }
  const held: string[] = [];
  if (options.held !== undefined) {
    if (!Array.isArray(options.held)) {
      return Err(new QueueError(`held must be an array, got ${describe(options.held)}`));
    }
    const replaced = new Set(replacements.map(({ id }) => id));
    const seen = new Set<string>();
    for (const id of options.held as unknown[]) {
      if (typeof id !== 'string') {
        return Err(new QueueError(`held ids must be strings, got ${describe(id)}`));
      }
      if (seen.has(id) || replaced.has(id)) {
        return Err(new QueueError(`entry ${id} is held and restamped, or held twice`));
      }
      seen.add(id);
      held.push(id);
    }
  }
  if (options.lastHlcMin === undefined) return Ok({ held, lastHlcMin: null });
  const floor = checkHlc(options.lastHlcMin, 'lastHlcMin');
  return floor.ok ? Ok({ held, lastHlcMin: floor.value }) : floor;
}

/**
 * Checks the fields the outbox itself relies on (a non-empty `deltaId` and a 64-bit `hlc`);
 * everything else about a delta is `validateDelta`'s business, upstream of the queue.
 */
export function checkDeltaShape(delta: unknown): Result<RowDelta, QueueError> {
  if (typeof delta !== 'object' || delta === null) {
    return Err(new QueueError(`cannot queue ${describe(delta)}: not a delta`));
  }
  const { deltaId, hlc, columns } = delta as Partial<Record<keyof RowDelta, unknown>>;
  if (typeof deltaId !== 'string' || deltaId.length === 0) {
    return Err(new QueueError(`cannot queue delta: deltaId must be a non-empty string`));
  }
  if (!Array.isArray(columns)) {
    return Err(new QueueError(`cannot queue delta ${deltaId}: columns must be an array`));
  }
  const checked = checkHlc(hlc, `hlc of delta ${deltaId}`);
  return checked.ok ? Ok(delta as RowDelta) : checked;
}

/**
 * A deep, frozen copy of `delta` (as IndexedDB's structured clone would store it), so that neither
 * the pusher nor any reader of an entry can change what the outbox holds. `QueueError` when the
 * delta holds something that cannot be cloned or frozen (a function, a typed array).
 *
 * Deltas are plain data (objects, arrays, strings, numbers, booleans, null, bigint HLCs), which
 * are copied and frozen in one pass; anything else (a `Date`, a `Map`, a cycle, an array with
 * holes, nesting beyond `PLAIN_DEPTH_MAX`) takes the structured-clone path, so both give the same
 * copy and the same refusals.
 */
export function frozenDeltaCopy(delta: RowDelta): Result<RowDelta, QueueError> {
  const plain = frozenPlainCopy(delta, 0);
  if (plain !== NOT_PLAIN) return Ok(plain as RowDelta);
  try {
    return Ok(deepFreeze(structuredClone(delta)));
  } catch (caught) {
    return Err(
      new QueueError(`cannot queue delta ${delta.deltaId}: not cloneable`, asError(caught)),
    );
  }
}

/** Nesting the one-pass copy follows before it leaves the value to structured clone. */
const PLAIN_DEPTH_MAX = 64;

/** What `frozenPlainCopy` returns for a value it does not copy itself. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

/**
 * A frozen deep copy of `value` when it is plain data — primitives other than symbols, arrays
 * without holes, and objects whose prototype is `Object.prototype` or `null` (copied, as
 * structured clone does, to ordinary objects with their own enumerable string keys, none named
 * `__proto__`) — else `NOT_PLAIN`.
 */
function frozenPlainCopy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object') {
    return typeof value === 'symbol' || typeof value === 'function' ? NOT_PLAIN : value;
  }
  if (value === null) return null;
  if (depth >= PLAIN_DEPTH_MAX) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) return NOT_PLAIN;
      const item = frozenPlainCopy(value[index], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      copy[index] = item;
    }
    if (Object.keys(value).length !== value.length) return NOT_PLAIN;
    return Object.freeze(copy);
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key === '__proto__') return NOT_PLAIN; // assignment would set the prototype
    const item = frozenPlainCopy((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    copy[key] = item;
  }
  return Object.freeze(copy);
}

/** Deep-freezes the delta of an entry read back from storage (already a private copy). */
export function freezeStoredDelta(delta: RowDelta): RowDelta {
  return deepFreeze(delta);
}

/** An immutable snapshot of an entry; its `delta` must already be frozen. */
export function entrySnapshot(entry: QueueEntry): QueueEntry {
  return Object.freeze({
    id: entry.id,
    delta: entry.delta,
    status: entry.status,
    seq: entry.seq,
    retryCount: entry.retryCount,
  });
}

/** A fixed-width hex key for `hlc` that sorts (as a string) exactly as the HLCs do. */
export function hlcSortKey(hlc: HLCTimestamp): string {
  return hlc.toString(16).padStart(HLC_HEX_DIGITS, '0');
}

/** `caught` as an `Error`, for the `cause` of a `QueueError`. */
export function asError(caught: unknown): Error {
  return caught instanceof Error ? caught : new Error(String(caught));
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
