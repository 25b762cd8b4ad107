import type { LakeAdapter } from '../../src/adapter/types';
import { mergeIntoStates, rowStatesEqual } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { RowKey } from '../../src/delta/types';
import { decodeEnvelope, ENVELOPE_PREFIX } from '../../src/gateway/envelope';
import type { AdapterError } from '../../src/result/errors';
import { Err, Ok, type Result } from '../../src/result/result';
import type { Violation } from '../types';

/** Requests to the S3 server in flight at once during a round trip. */
export const ROUNDTRIP_CONCURRENCY_MAX = 8;

/** What a round trip did, and the broken oracle when the lake did not come back intact. */
export interface RoundTripReport {
  readonly objects: number;
  readonly bytes: number;
  /** Rows folded from the envelopes read back (visible or tombstoned). */
  readonly rows: number;
  readonly violation: Violation | null;
}

/** The key prefix under which one run's lake is written: `lakesync-sim/<seed>/<hash>/`. */
export function roundTripPrefix(seed: number, traceHash: string): string {
  return `lakesync-sim/${seed}/${traceHash.slice(0, 16)}/`;
}

/**
 * Writes the in-memory lake `objects` to a real store under `prefix`, lists and reads them back,
 * and checks that (1) exactly the same keys come back with identical bytes and (2) folding the
 * envelopes read back (`decodeEnvelope`, then `mergeDelta` into one `RowState` per row) gives the
 * same state, row for row, as folding the in-memory lake. A difference is a `lake-roundtrip`
 * violation naming the first key or row that differs. A store that refuses a request is an `Err`
 * (the check could not run), never a violation. Never throws.
 */
export async function roundTripLake(
  objects: ReadonlyMap<string, Uint8Array>,
  adapter: LakeAdapter,
  options: { readonly prefix: string; readonly atMs: number },
): Promise<Result<RoundTripReport, AdapterError>> {
  const { prefix, atMs } = options;
  const keys = [...objects.keys()].sort();
  const put = await forEachBounded(keys, (key) =>
    adapter.putObject(`${prefix}${key}`, objects.get(key) ?? new Uint8Array(), 'application/json'),
  );
  if (!put.ok) return put;
  const listed = await adapter.listObjects(prefix);
  if (!listed.ok) return listed;
  const readKeys = listed.value.map((info) => info.key.slice(prefix.length)).sort();
  const read = new Map<string, Uint8Array>();
  const got = await forEachBounded(readKeys, async (key) => {
    const bytes = await adapter.getObject(`${prefix}${key}`);
    if (bytes.ok) read.set(key, bytes.value);
    return bytes.ok ? Ok(undefined) : bytes;
  });
  if (!got.ok) return got;
  const bytes = keys.reduce((total, key) => total + (objects.get(key)?.byteLength ?? 0), 0);
  const problem = compareObjects(objects, read) ?? compareFolds(objects, read);
  const folded = foldLake(read);
  return Ok({
    objects: keys.length,
    bytes,
    rows: folded.ok ? folded.value.size : 0,
    violation: problem === null ? null : { oracle: 'lake-roundtrip', message: problem, atMs },
  });
}

/**
 * Folds every envelope of a lake (keys under `deltas/`) into one `RowState` per row, in key
 * order. An envelope that does not decode is an `Err` naming its key.
 */
export function foldLake(
  objects: ReadonlyMap<string, Uint8Array>,
): Result<Map<RowKey, RowState>, string> {
  const states = new Map<RowKey, RowState>();
  for (const key of [...objects.keys()].sort()) {
    if (!key.startsWith(ENVELOPE_PREFIX)) continue;
    const envelope = decodeEnvelope(objects.get(key) ?? new Uint8Array());
    if (!envelope.ok) return Err(`${key} does not decode: ${envelope.error.message}`);
    for (const delta of envelope.value.deltas) mergeIntoStates(states, delta);
  }
  return Ok(states);
}

function compareObjects(
  written: ReadonlyMap<string, Uint8Array>,
  read: ReadonlyMap<string, Uint8Array>,
): string | null {
  for (const key of [...written.keys()].sort()) {
    const back = read.get(key);
    if (back === undefined) return `object ${key} was written but is missing when read back`;
    const sent = written.get(key) ?? new Uint8Array();
    if (!bytesEqual(sent, back)) {
      return `object ${key} differs: ${sent.byteLength} bytes written, ${back.byteLength} bytes read back`;
    }
  }
  for (const key of [...read.keys()].sort()) {
    if (!written.has(key)) return `object ${key} was read back but never written`;
  }
  return null;
}

function compareFolds(
  written: ReadonlyMap<string, Uint8Array>,
  read: ReadonlyMap<string, Uint8Array>,
): string | null {
  const expected = foldLake(written);
  if (!expected.ok) return `the in-memory lake does not fold: ${expected.error}`;
  const actual = foldLake(read);
  if (!actual.ok) return `the lake read back does not fold: ${actual.error}`;
  for (const [key, state] of [...expected.value].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const other = actual.value.get(key);
    if (other === undefined)
      return `row ${key} is in the in-memory lake but not in the lake read back`;
    if (!rowStatesEqual(state, other)) return `row ${key} folds differently after the round trip`;
  }
  for (const key of actual.value.keys()) {
    if (!expected.value.has(key)) return `row ${key} appears only in the lake read back`;
  }
  return null;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Runs `task` over `items` with at most `ROUNDTRIP_CONCURRENCY_MAX` in flight; stops at the first `Err`. */
async function forEachBounded<T>(
  items: readonly T[],
  task: (item: T) => Promise<Result<void, AdapterError>>,
): Promise<Result<void, AdapterError>> {
  let next = 0;
  let failure: Result<void, AdapterError> | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      const outcome = await task(item);
      if (!outcome.ok && failure === null) failure = outcome;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(ROUNDTRIP_CONCURRENCY_MAX, items.length) }, lane),
  );
  return failure ?? Ok(undefined);
}
