import { describe, expect, it } from 'vitest';
import { validateDelta } from '../../delta/validate';
import { HLC } from '../../hlc/hlc';
import {
  cloneRowState,
  createRowState,
  isVisible,
  materialise,
  mergeDelta,
  mergeRowState,
  rowStatesEqual,
  rowStateToDeltas,
} from '../row-state';
import type { RowState } from '../types';
import { compareVersions, versionOf } from '../version';
import { T0, write } from './fixtures';

function stateOf(...deltas: Parameters<typeof mergeDelta>[1][]): RowState {
  const state = createRowState('todos', 'row-1');
  for (const delta of deltas) mergeDelta(state, delta);
  return state;
}

describe('compareVersions', () => {
  it('orders by HLC first, then by clientId with plain string comparison', () => {
    const early = { hlc: HLC.encode(T0, 0), clientId: 'z' };
    const late = { hlc: HLC.encode(T0, 1), clientId: 'a' };
    expect(compareVersions(early, late)).toBe(-1);
    expect(compareVersions(late, early)).toBe(1);
    const lowerCase = { hlc: HLC.encode(T0, 0), clientId: 'a' };
    const upperCase = { hlc: HLC.encode(T0, 0), clientId: 'B' };
    expect(compareVersions(lowerCase, upperCase)).toBe(1); // 'a' > 'B' in UTF-16 order
    expect(compareVersions(early, { ...early })).toBe(0);
  });

  it('versionOf takes the hlc and clientId of a delta', () => {
    const delta = write('UPDATE', 3, 'c', { a: 1 });
    expect(versionOf(delta)).toEqual({ hlc: delta.hlc, clientId: 'c' });
  });
});

describe('RowState', () => {
  it('starts empty and invisible', () => {
    const state = createRowState('todos', 'row-1');
    expect(isVisible(state)).toBe(false);
    expect(materialise(state)).toBeNull();
    expect(rowStateToDeltas(state)).toEqual([]);
  });

  it('mergeDelta reports whether anything changed and is idempotent', () => {
    const state = createRowState('todos', 'row-1');
    const insert = write('INSERT', 1, 'a', { title: 'milk' });
    expect(mergeDelta(state, insert)).toBe(true);
    expect(mergeDelta(state, insert)).toBe(false);
    expect(mergeDelta(state, write('UPDATE', 0, 'a', { title: 'older' }))).toBe(false);
    expect(mergeDelta(state, write('DELETE', 2, 'a'))).toBe(true);
    expect(mergeDelta(state, write('DELETE', 2, 'a'))).toBe(false);
    expect(mergeDelta(state, write('DELETE', 1, 'z'))).toBe(false);
  });

  it('prunes columns the tombstone hides, so equal histories give structurally equal states', () => {
    const state = stateOf(
      write('INSERT', 1, 'a', { title: 'milk', done: false }),
      write('UPDATE', 5, 'b', { done: true }),
      write('DELETE', 3, 'c'),
    );
    expect([...state.columns.keys()]).toEqual(['done']);
    expect(state.tombstone).toEqual({ hlc: HLC.encode(T0 + 3, 0), clientId: 'c' });
    expect(materialise(state)).toEqual({ done: true });
    const otherOrder = stateOf(
      write('DELETE', 3, 'c'),
      write('UPDATE', 5, 'b', { done: true }),
      write('INSERT', 1, 'a', { title: 'milk', done: false }),
    );
    expect(rowStatesEqual(state, otherOrder)).toBe(true);
  });

  it('a newer DELETE hides everything: not visible, nothing stored', () => {
    const state = stateOf(write('INSERT', 1, 'a', { title: 'milk' }), write('DELETE', 2, 'b'));
    expect(state.columns.size).toBe(0);
    expect(isVisible(state)).toBe(false);
    expect(materialise(state)).toBeNull();
  });

  it('breaks equal-HLC ties by the higher clientId in either order', () => {
    const a = write('UPDATE', 4, 'client-a', { title: 'a' });
    const b = write('UPDATE', 4, 'client-b', { title: 'b' });
    expect(materialise(stateOf(a, b))).toEqual({ title: 'b' });
    expect(materialise(stateOf(b, a))).toEqual({ title: 'b' });
  });

  it('settles forged equal versions with different values deterministically', () => {
    const x = write('UPDATE', 4, 'a', { title: 'x' });
    const y = write('UPDATE', 4, 'a', { title: 'y' });
    expect(rowStatesEqual(stateOf(x, y), stateOf(y, x))).toBe(true);
    expect(materialise(stateOf(x, y))).toEqual({ title: 'y' });
  });

  it('settles a column named twice in one delta as two writes at one version, empty row or not', () => {
    const twice = (first: string, second: string) => ({
      ...write('UPDATE', 4, 'a'),
      columns: [
        { column: 'title', value: first },
        { column: 'title', value: second },
      ],
    });
    for (const delta of [twice('x', 'y'), twice('y', 'x')]) {
      expect(materialise(stateOf(delta))).toEqual({ title: 'y' });
      expect(materialise(stateOf(write('INSERT', 1, 'b', { note: 'n' }), delta))).toEqual({
        note: 'n',
        title: 'y',
      });
    }
  });

  it('materialise gives a null-prototype row and handles __proto__ as a column', () => {
    const row = materialise(
      stateOf(write('INSERT', 1, 'a', { ['__proto__']: 'p', constructor: 'c' })),
    );
    expect(row).not.toBeNull();
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect(row && Object.keys(row).sort()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('rowStateToDeltas rebuilds the state exactly, with valid deltas, in any order', () => {
    const state = stateOf(
      write('INSERT', 1, 'a', { title: 'milk', done: false, note: 'n' }),
      write('DELETE', 2, 'b'),
      write('UPDATE', 3, 'c', { title: 'oat milk', done: true }),
      write('UPDATE', 4, 'd', { note: 'later' }),
    );
    const deltas = rowStateToDeltas(state);
    expect(deltas.map((delta) => delta.op)).toEqual(['DELETE', 'UPDATE', 'UPDATE']);
    for (const delta of deltas) expect(validateDelta(delta).ok).toBe(true);
    expect(deltas[1]?.columns.map((column) => column.column)).toEqual(['done', 'title']);
    expect(rowStatesEqual(stateOf(...deltas), state)).toBe(true);
    expect(rowStatesEqual(stateOf(...[...deltas].reverse()), state)).toBe(true);
    // A group equal to an original write keeps that write's identity.
    expect(deltas[2]?.deltaId).toBe(write('UPDATE', 4, 'd', { note: 'later' }).deltaId);
  });

  it('cloneRowState is independent and rowStatesEqual sees every difference', () => {
    const state = stateOf(write('INSERT', 1, 'a', { meta: { x: 1, y: 2 } }));
    const clone = cloneRowState(state);
    expect(rowStatesEqual(state, clone)).toBe(true);
    mergeDelta(clone, write('UPDATE', 2, 'a', { other: 1 }));
    expect(state.columns.has('other')).toBe(false);
    expect(rowStatesEqual(state, clone)).toBe(false);
    const keyOrder = stateOf(write('INSERT', 1, 'a', { meta: { y: 2, x: 1 } }));
    expect(rowStatesEqual(state, keyOrder)).toBe(true);
    expect(rowStatesEqual(state, stateOf(write('INSERT', 1, 'b', { meta: { x: 1, y: 2 } })))).toBe(
      false,
    );
    expect(rowStatesEqual(state, stateOf(write('INSERT', 1, 'a', { meta: { x: 1 } })))).toBe(false);
    const deleted = stateOf(
      write('DELETE', 0, 'a'),
      write('INSERT', 1, 'a', { meta: { x: 1, y: 2 } }),
    );
    expect(rowStatesEqual(state, deleted)).toBe(false);
  });

  it('mergeRowState joins two states the same way as merging their deltas', () => {
    const left = stateOf(
      write('INSERT', 1, 'a', { title: 'milk', done: false }),
      write('DELETE', 2, 'x'),
    );
    const right = stateOf(
      write('UPDATE', 3, 'b', { done: true }),
      write('UPDATE', 1, 'c', { note: 'n' }),
    );
    const joined = cloneRowState(left);
    expect(mergeRowState(joined, right)).toBe(true);
    expect(mergeRowState(joined, right)).toBe(false);
    const expected = stateOf(...rowStateToDeltas(left), ...rowStateToDeltas(right));
    expect(rowStatesEqual(joined, expected)).toBe(true);
  });

  it('asserts when a delta for another row is merged', () => {
    const state = createRowState('todos', 'row-1');
    expect(() => mergeDelta(state, write('UPDATE', 1, 'a', { x: 1 }, { rowId: 'row-2' }))).toThrow(
      /row-2/,
    );
  });
});
