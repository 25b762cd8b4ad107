import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../result/errors';
import { deltaId } from '../delta-id';
import { extractDelta } from '../extract';
import type { Row, TableSchema } from '../types';
import { CONTEXT } from './fixtures';

function extractOk(before: Row | null, after: Row | null, schema?: TableSchema) {
  const result = extractDelta(before, after, CONTEXT, schema);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('extractDelta', () => {
  it('INSERT carries every column, sorted by name, with the context and a valid deltaId', () => {
    const delta = extractOk(null, { title: 'milk', done: false, priority: 2 });
    expect(delta).not.toBeNull();
    expect(delta?.op).toBe('INSERT');
    expect(delta?.columns).toEqual([
      { column: 'done', value: false },
      { column: 'priority', value: 2 },
      { column: 'title', value: 'milk' },
    ]);
    expect(delta?.table).toBe('todos');
    expect(delta?.rowId).toBe('row-1');
    expect(delta?.clientId).toBe('client-a');
    expect(delta?.hlc).toBe(CONTEXT.hlc);
    expect(delta && delta.deltaId === deltaId(delta)).toBe(true);
  });

  it('UPDATE of a single column carries only that column', () => {
    const delta = extractOk({ title: 'milk', done: false }, { title: 'milk', done: true });
    expect(delta?.op).toBe('UPDATE');
    expect(delta?.columns).toEqual([{ column: 'done', value: true }]);
  });

  it('UPDATE of several columns carries only the changed ones', () => {
    const delta = extractOk(
      { title: 'milk', done: false, priority: 1, note: 'x' },
      { title: 'oat milk', done: false, priority: 3, note: 'x' },
    );
    expect(delta?.columns).toEqual([
      { column: 'priority', value: 3 },
      { column: 'title', value: 'oat milk' },
    ]);
  });

  it('DELETE carries no columns', () => {
    const delta = extractOk({ title: 'milk' }, null);
    expect(delta?.op).toBe('DELETE');
    expect(delta?.columns).toEqual([]);
  });

  it('returns null when nothing changed, and when both sides are null', () => {
    expect(extractOk({ title: 'milk', tags: ['a'] }, { title: 'milk', tags: ['a'] })).toBeNull();
    expect(extractOk(null, null)).toBeNull();
  });

  it('treats null as a real value: setting a column to null is a change', () => {
    expect(extractOk({ note: 'x' }, { note: null })?.columns).toEqual([
      { column: 'note', value: null },
    ]);
    expect(extractOk({ note: null }, { note: 'x' })?.columns).toEqual([
      { column: 'note', value: 'x' },
    ]);
    expect(extractOk(null, { note: null })?.columns).toEqual([{ column: 'note', value: null }]);
  });

  it('skips undefined columns instead of turning them into null', () => {
    expect(extractOk(null, { title: 'milk', note: undefined })?.columns).toEqual([
      { column: 'title', value: 'milk' },
    ]);
    expect(extractOk({ title: 'milk', note: 'x' }, { title: 'milk', note: undefined })).toBeNull();
  });

  it('sees no change in nested objects that differ only in key order', () => {
    const before = { meta: { a: 1, b: { c: [1, 2], d: 'x' } } };
    const after = { meta: { b: { d: 'x', c: [1, 2] }, a: 1 } };
    expect(extractOk(before, after)).toBeNull();
  });

  it('emits the whole nested value when something inside it changed', () => {
    const delta = extractOk(
      { meta: { a: 1, b: { c: [1, 2] } } },
      { meta: { a: 1, b: { c: [1, 3] } } },
    );
    expect(delta?.columns).toEqual([{ column: 'meta', value: { a: 1, b: { c: [1, 3] } } }]);
  });

  it('with a schema, keeps only its columns, in schema order', () => {
    const schema: TableSchema = {
      table: 'todos',
      columns: [
        { name: 'title', type: 'string' },
        { name: 'done', type: 'boolean' },
      ],
    };
    const delta = extractOk(null, { done: true, secret: 'x', title: 'milk' }, schema);
    expect(delta?.columns).toEqual([
      { column: 'title', value: 'milk' },
      { column: 'done', value: true },
    ]);
    expect(extractOk({ title: 'a', secret: 1 }, { title: 'a', secret: 2 }, schema)).toBeNull();
  });

  it('rejects a schema for another table', () => {
    const result = extractDelta(null, { a: 1 }, CONTEXT, { table: 'other', columns: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('schema is for table "other"');
  });

  it('rejects values that are not JSON-safe with a message naming the column', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      () => 1,
      10n,
      Symbol('s'),
      Number.NaN,
      Number.POSITIVE_INFINITY,
      cyclic,
      new Date(0),
    ];
    for (const value of bad) {
      const result = extractDelta(null, { ok: 1, broken: value }, CONTEXT);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(SchemaError);
      expect(result.error.message).toContain('column "broken" is not JSON-safe');
    }
  });

  it('rejects an INSERT with no columns and a context with an invalid table', () => {
    const empty = extractDelta(null, { a: undefined }, CONTEXT);
    expect(!empty.ok && empty.error.message).toContain('needs at least one column');
    const badTable = extractDelta(null, { a: 1 }, { ...CONTEXT, table: '../x' });
    expect(!badTable.ok && badTable.error.message).toContain('table name "../x"');
  });

  it('handles __proto__, constructor and prototype as ordinary column names', () => {
    const after = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "prototype": 2}');
    const inserted = extractOk(null, after);
    expect(inserted?.columns.map((column) => column.column)).toEqual([
      '__proto__',
      'constructor',
      'prototype',
    ]);
    // An ordinary `before` object has no own `__proto__`: it must not be read from Object.prototype.
    const updated = extractOk({ constructor: 1, prototype: 2 }, after);
    expect(updated?.columns).toEqual([{ column: '__proto__', value: { polluted: true } }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
