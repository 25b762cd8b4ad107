import { describe, expect, it } from 'vitest';
import { deltaId } from '../../delta/delta-id';
import type { RowDelta } from '../../delta/types';
import { HLC } from '../../hlc/hlc';
import { ConflictError } from '../../result/errors';
import { unwrapOrThrow } from '../../result/result';
import { resolveLWW } from '../lww';
import { lwwResolver } from '../resolver';
import { T0, write } from './fixtures';

/** Resolves both ways round, checks both agree, and returns the result. */
function resolve(local: RowDelta, remote: RowDelta): RowDelta {
  const forward = resolveLWW(local, remote);
  const backward = resolveLWW(remote, local);
  if (!forward.ok) throw forward.error;
  expect(backward).toEqual(forward);
  expect(forward.value.deltaId).toBe(deltaId(forward.value));
  return forward.value;
}

function valuesOf(delta: RowDelta): Record<string, unknown> {
  return Object.fromEntries(delta.columns.map(({ column, value }) => [column, value]));
}

describe('resolveLWW', () => {
  it('takes the union of columns that do not overlap', () => {
    const result = resolve(
      write('UPDATE', 1, 'a', { title: 'milk' }),
      write('UPDATE', 2, 'b', { done: true }),
    );
    expect(result.op).toBe('UPDATE');
    expect(valuesOf(result)).toEqual({ done: true, title: 'milk' });
    expect(result.columns.map((column) => column.column)).toEqual(['done', 'title']);
    expect(result.hlc).toBe(HLC.encode(T0 + 2, 0));
    expect(result.clientId).toBe('b');
  });

  it('lets the remote win a shared column when its HLC is higher', () => {
    const result = resolve(
      write('UPDATE', 1, 'a', { title: 'local' }),
      write('UPDATE', 2, 'b', { title: 'remote' }),
    );
    expect(valuesOf(result)).toEqual({ title: 'remote' });
  });

  it('lets the local win a shared column when its HLC is higher', () => {
    const result = resolveLWW(
      write('UPDATE', 3, 'a', { title: 'local' }),
      write('UPDATE', 2, 'b', { title: 'remote' }),
    );
    expect(result.ok && valuesOf(result.value)).toEqual({ title: 'local' });
  });

  it('breaks an equal-HLC tie by the higher clientId, whichever side it is on', () => {
    const low = write('UPDATE', 5, 'client-a', { title: 'from a' });
    const high = write('UPDATE', 5, 'client-b', { title: 'from b' });
    expect(valuesOf(resolve(low, high))).toEqual({ title: 'from b' });
    expect(resolve(high, low).clientId).toBe('client-b');
  });

  it('merges the columns of an INSERT and an UPDATE, and keeps INSERT only when both are INSERTs', () => {
    const insert = write('INSERT', 1, 'a', { title: 'milk', done: false });
    const update = write('UPDATE', 2, 'b', { done: true });
    const merged = resolve(insert, update);
    expect(merged.op).toBe('UPDATE');
    expect(valuesOf(merged)).toEqual({ title: 'milk', done: true });
    const both = resolve(insert, write('INSERT', 2, 'b', { note: 'x' }));
    expect(both.op).toBe('INSERT');
  });

  it('lets a newer DELETE win over an UPDATE', () => {
    const result = resolve(write('UPDATE', 1, 'a', { title: 'milk' }), write('DELETE', 2, 'b'));
    expect(result.op).toBe('DELETE');
    expect(result.columns).toEqual([]);
    expect(result.clientId).toBe('b');
    expect(result.hlc).toBe(HLC.encode(T0 + 2, 0));
  });

  it('lets a newer UPDATE resurrect a deleted row with the columns written after the DELETE', () => {
    const result = resolve(write('DELETE', 1, 'a'), write('UPDATE', 2, 'b', { title: 'back' }));
    expect(result.op).toBe('UPDATE');
    expect(valuesOf(result)).toEqual({ title: 'back' });
  });

  it('keeps the row deleted when the UPDATE is older than the tombstone (and on an equal version)', () => {
    const result = resolve(write('UPDATE', 1, 'a', { title: 'old' }), write('DELETE', 9, 'b'));
    expect(result.op).toBe('DELETE');
    expect(result.hlc).toBe(HLC.encode(T0 + 9, 0));
    const sameVersion = resolve(write('UPDATE', 9, 'b', { title: 'x' }), write('DELETE', 9, 'b'));
    expect(sameVersion.op).toBe('DELETE');
  });

  it('resolves DELETE vs DELETE to the newer DELETE', () => {
    const older = write('DELETE', 1, 'a');
    const newer = write('DELETE', 2, 'b');
    expect(resolve(older, newer)).toEqual(newer);
    expect(resolve(newer, newer)).toEqual(newer);
  });

  it('returns Err(ConflictError) for deltas on different tables or rows', () => {
    const a = write('UPDATE', 1, 'a', { title: 'x' });
    for (const other of [
      write('UPDATE', 2, 'b', { title: 'y' }, { rowId: 'row-2' }),
      write('UPDATE', 2, 'b', { title: 'y' }, { table: 'notes' }),
    ]) {
      const result = resolveLWW(a, other);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(ConflictError);
        expect(result.error.message).toContain('different rows');
      }
    }
  });

  it('stamps the result with the newest visible column version even when an older column survives', () => {
    const result = resolve(
      write('UPDATE', 1, 'a', { title: 'milk', done: false }),
      write('UPDATE', 7, 'b', { done: true }),
    );
    expect(valuesOf(result)).toEqual({ title: 'milk', done: true });
    expect(result.hlc).toBe(HLC.encode(T0 + 7, 0));
  });

  it('is what lwwResolver.resolve does, and refuses two empty updates', () => {
    const local = write('UPDATE', 1, 'a', { title: 'x' });
    const remote = write('UPDATE', 2, 'b', { title: 'y' });
    expect(lwwResolver.resolve(local, remote)).toEqual(resolveLWW(local, remote));
    const empty = resolveLWW(write('UPDATE', 1, 'a'), write('UPDATE', 2, 'b'));
    expect(!empty.ok && empty.error.message).toContain('nothing to resolve');
  });

  it('returns the deciding input itself when one side wins every column, hashing nothing', () => {
    const older = write('UPDATE', 1, 'a', { title: 'old' });
    const newer = write('UPDATE', 2, 'b', { done: true, title: 'new' });
    expect(resolveLWW(older, newer)).toEqual({ ok: true, value: newer });
    expect(unwrapOrThrow(resolveLWW(older, newer))).toBe(newer);
    const deletion = write('DELETE', 3, 'c');
    expect(unwrapOrThrow(resolveLWW(newer, deletion))).toBe(deletion);
  });

  it('relabels a winning INSERT over an UPDATE as UPDATE and keeps its deltaId', () => {
    const update = write('UPDATE', 1, 'a', { title: 'old' });
    const insert = write('INSERT', 2, 'b', { title: 'new' });
    const result = resolve(update, insert);
    expect(result.op).toBe('UPDATE');
    expect(result.deltaId).toBe(insert.deltaId);
  });

  it('sorts the columns of a winner listed out of name order, keeping its deltaId', () => {
    const older = write('UPDATE', 1, 'a', { title: 'old' });
    const newer = write('UPDATE', 2, 'b', { title: 'new', done: true });
    const result = resolve(older, newer);
    expect(result.columns.map((column) => column.column)).toEqual(['done', 'title']);
    expect(result.deltaId).toBe(newer.deltaId);
  });

  it('gives a mixed result a fresh deltaId of its own content', () => {
    const older = write('UPDATE', 1, 'a', { title: 'milk', note: 'x' });
    const newer = write('UPDATE', 2, 'b', { title: 'oat milk' });
    const result = resolve(older, newer);
    expect(result.deltaId).not.toBe(newer.deltaId);
    expect(result.deltaId).not.toBe(older.deltaId);
    expect(valuesOf(result)).toEqual({ note: 'x', title: 'oat milk' });
  });
});
