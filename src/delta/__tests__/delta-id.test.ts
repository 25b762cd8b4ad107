import stableStringify from 'fast-json-stable-stringify';
import { describe, expect, it } from 'vitest';
import { HLC } from '../../hlc/hlc';
import { canonicalJson } from '../canonical-json';
import type { DeltaFields } from '../delta-id';
import { deltaId, deltaIdInput, makeDelta } from '../delta-id';
import { jsonEqual } from '../json-equal';
import { isJsonSafe, JSON_DEPTH_MAX, jsonSafetyProblem } from '../json-safe';
import { parseRowKey, rowKey } from '../row-key';
import { CONTEXT } from './fixtures';

const FIELDS: DeltaFields = {
  op: 'UPDATE',
  table: CONTEXT.table,
  rowId: CONTEXT.rowId,
  clientId: CONTEXT.clientId,
  hlc: CONTEXT.hlc,
  columns: [
    { column: 'b', value: { y: 1, x: [1, { q: 2, p: 1 }] } },
    { column: 'a', value: 'text' },
  ],
};

describe('deltaId', () => {
  it('is a 64-character lower-case SHA-256 hex string', () => {
    expect(deltaId(FIELDS)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes exactly fast-json-stable-stringify of the normalised fields', () => {
    const normalised = {
      clientId: FIELDS.clientId,
      hlc: FIELDS.hlc.toString(),
      table: FIELDS.table,
      rowId: FIELDS.rowId,
      columns: [...FIELDS.columns]
        .sort((p, q) => (p.column < q.column ? -1 : 1))
        .map(({ column, value }) => ({ column, value })),
    };
    expect(deltaIdInput(FIELDS)).toBe(stableStringify(normalised));
  });

  it('ignores column order, key order inside values, and op', () => {
    const reordered: DeltaFields = {
      ...FIELDS,
      op: 'INSERT',
      columns: [
        { column: 'a', value: 'text' },
        { column: 'b', value: { x: [1, { p: 1, q: 2 }], y: 1 } },
      ],
    };
    expect(deltaId(reordered)).toBe(deltaId(FIELDS));
  });

  it('changes when any identifying field changes', () => {
    const base = deltaId(FIELDS);
    expect(deltaId({ ...FIELDS, clientId: 'client-b' })).not.toBe(base);
    expect(deltaId({ ...FIELDS, hlc: HLC.encode(1, 0) })).not.toBe(base);
    expect(deltaId({ ...FIELDS, table: 'other' })).not.toBe(base);
    expect(deltaId({ ...FIELDS, rowId: 'row-2' })).not.toBe(base);
    expect(deltaId({ ...FIELDS, columns: [{ column: 'a', value: 'text' }] })).not.toBe(base);
    expect(
      deltaId({ ...FIELDS, columns: [{ column: 'a', value: 'TEXT' }, FIELDS.columns[0]!] }),
    ).not.toBe(base);
  });

  it('makeDelta stores the id of its fields and leaves the columns as given', () => {
    const delta = makeDelta(FIELDS);
    expect(delta.deltaId).toBe(deltaId(FIELDS));
    expect(delta.columns).toBe(FIELDS.columns);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and matches fast-json-stable-stringify on edge cases', () => {
    const samples: unknown[] = [
      { b: 1, a: [3, { d: null, c: 'é\u0000"' }] },
      [undefined, () => 1, Number.NaN, -0, 1e21, 5e-7],
      { skip: undefined, fn: () => 1, keep: true },
      { date: new Date(0), nested: { toJSON: () => ({ z: 1, y: 2 }) } },
      '',
      null,
      Object.assign(Object.create(null), { b: 2, a: 1, __proto__x: 0 }),
    ];
    for (const sample of samples) expect(canonicalJson(sample)).toBe(stableStringify(sample));
    expect(canonicalJson(undefined)).toBeUndefined();
  });

  it('asserts on cycles and bigints instead of recursing forever', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
    expect(() => canonicalJson([1n])).toThrow(/bigint/);
  });
});

describe('isJsonSafe', () => {
  it('accepts JSON values and rejects everything that would not round-trip', () => {
    for (const value of [
      null,
      true,
      0,
      -1.5,
      'x',
      [],
      {},
      { a: [1, { b: null }] },
      Object.create(null),
    ]) {
      expect(isJsonSafe(value)).toBe(true);
    }
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    const sparse: unknown[] = [];
    sparse[2] = 1;
    for (const value of [
      undefined,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      1n,
      Symbol('s'),
      () => 1,
      new Map(),
      new Date(),
      cyclic,
      sparse,
      { a: undefined },
    ]) {
      expect(isJsonSafe(value)).toBe(false);
    }
  });

  it('bounds nesting depth', () => {
    let deep: unknown = 1;
    for (let depth = 0; depth < JSON_DEPTH_MAX; depth++) deep = [deep];
    expect(isJsonSafe(deep)).toBe(true);
    expect(jsonSafetyProblem([deep])).toContain(`deeper than ${JSON_DEPTH_MAX}`);
  });
});

describe('jsonEqual', () => {
  it('ignores key order and prototypes but not content', () => {
    const plain = { a: 1, b: [1, { c: 'x' }] };
    const nullPrototype = Object.assign(Object.create(null), { b: [1, { c: 'x' }], a: 1 });
    expect(jsonEqual(plain, nullPrototype)).toBe(true);
    expect(jsonEqual(-0, 0)).toBe(true);
    expect(jsonEqual(plain, { a: 1, b: [1, { c: 'y' }] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});

describe('rowKey', () => {
  it('joins table and row id with a colon and splits them back, even when the row id has colons', () => {
    const key = rowKey('todos', 'a:b:c');
    expect(key).toBe('todos:a:b:c');
    expect(parseRowKey(key)).toEqual({ table: 'todos', rowId: 'a:b:c' });
  });

  it('asserts that the table name has no colon', () => {
    expect(() => rowKey('to:dos', 'x')).toThrow(/contains ':'/);
  });
});
