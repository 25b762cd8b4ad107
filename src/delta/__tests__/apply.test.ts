import { describe, expect, it } from 'vitest';
import { applyDelta } from '../apply';
import { makeDelta } from '../delta-id';
import type { ColumnDelta, DeltaOp, Row } from '../types';
import { CONTEXT } from './fixtures';

function delta(op: DeltaOp, columns: ColumnDelta[]) {
  const { table, rowId, clientId, hlc } = CONTEXT;
  return makeDelta({ op, table, rowId, clientId, hlc, columns });
}

describe('applyDelta', () => {
  it('merges a partial UPDATE onto the row without touching the input', () => {
    const row: Row = { title: 'milk', done: false };
    const result = applyDelta(row, delta('UPDATE', [{ column: 'done', value: true }]));
    expect(result).toEqual({ title: 'milk', done: true });
    expect(row).toEqual({ title: 'milk', done: false });
    expect(result).not.toBe(row);
  });

  it('creates a new row from an INSERT', () => {
    const result = applyDelta(null, delta('INSERT', [{ column: 'title', value: 'milk' }]));
    expect(result).toEqual({ title: 'milk' });
  });

  it('returns null for a DELETE', () => {
    expect(applyDelta({ title: 'milk' }, delta('DELETE', []))).toBeNull();
    expect(applyDelta(null, delta('DELETE', []))).toBeNull();
  });

  it('returns a null-prototype object', () => {
    const result = applyDelta({ a: 1 }, delta('UPDATE', [{ column: 'b', value: 2 }]));
    expect(result).not.toBeNull();
    expect(Object.getPrototypeOf(result)).toBeNull();
  });

  it('stores __proto__, constructor and prototype as own columns without polluting Object.prototype', () => {
    const payload = { polluted: 'yes' };
    const result = applyDelta(
      null,
      delta('INSERT', [
        { column: '__proto__', value: payload },
        { column: 'constructor', value: 'c' },
        { column: 'prototype', value: 'p' },
      ]),
    );
    expect(result).not.toBeNull();
    if (result === null) return;
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(Object.hasOwn(result, 'constructor')).toBe(true);
    expect(Object.hasOwn(result, 'prototype')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(payload);
    expect(Object.getPrototypeOf(result)).toBeNull();
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // Applying again on top keeps them own and updates them.
    const again = applyDelta(result, delta('UPDATE', [{ column: '__proto__', value: 1 }]));
    expect(again && Object.getOwnPropertyDescriptor(again, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(again)).toBeNull();
  });
});
