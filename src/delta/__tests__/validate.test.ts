import { describe, expect, it } from 'vitest';
import { HLC } from '../../hlc/hlc';
import { SchemaError } from '../../result/errors';
import type { DeltaFields } from '../delta-id';
import { deltaId, makeDelta } from '../delta-id';
import type { RowDelta } from '../types';
import { DEFAULT_DELTA_LIMITS, validateDelta } from '../validate';
import { CONTEXT } from './fixtures';

const FIELDS: DeltaFields = {
  op: 'UPDATE',
  table: CONTEXT.table,
  rowId: CONTEXT.rowId,
  clientId: CONTEXT.clientId,
  hlc: CONTEXT.hlc,
  columns: [{ column: 'title', value: 'milk' }],
};

/** A delta built from `FIELDS` with `overrides`, carrying the id its content deserves. */
function built(overrides: Partial<DeltaFields>): RowDelta {
  return makeDelta({ ...FIELDS, ...overrides });
}

function errorOf(delta: unknown, limits?: Parameters<typeof validateDelta>[1]): string {
  const result = validateDelta(delta as RowDelta, limits);
  expect(result.ok).toBe(false);
  if (result.ok) return '';
  expect(result.error).toBeInstanceOf(SchemaError);
  return result.error.message;
}

describe('validateDelta', () => {
  it('accepts a well-formed delta of each op', () => {
    for (const delta of [
      built({}),
      built({ op: 'INSERT' }),
      built({ op: 'DELETE', columns: [] }),
    ]) {
      const result = validateDelta(delta);
      expect(result.ok && result.value).toBe(delta);
    }
  });

  it('rejects a forged deltaId and names the expected one and the delta', () => {
    const forged = { ...built({}), deltaId: 'f'.repeat(64) };
    const message = errorOf(forged);
    expect(message).toContain(`expected ${deltaId(FIELDS)}`);
    expect(message).toContain('"todos"/"row-1"');
    expect(message).toContain('"ffffffffffff"');
  });

  it('rejects a delta whose content was changed after the id was computed', () => {
    const tampered = { ...built({}), columns: [{ column: 'title', value: 'beer' }] };
    expect(errorOf(tampered)).toContain('does not match its content');
  });

  it('rejects table names that are not identifiers', () => {
    for (const table of ['../x', 'a:b', '', '1abc', 'white space', 'é']) {
      expect(errorOf(built({ table }))).toMatch(/table/);
    }
    expect(errorOf(built({ table: 'a'.repeat(129) }))).toContain('at most 128');
  });

  it('rejects control characters in rowId, clientId and column names', () => {
    expect(errorOf(built({ rowId: 'row\u0000' }))).toContain(
      'rowId "row\\u0000" contains a control character',
    );
    expect(errorOf(built({ clientId: 'c\u007f' }))).toContain('clientId');
    expect(errorOf(built({ columns: [{ column: 'a\nb', value: 1 }] }))).toContain('column name');
    expect(errorOf(built({ rowId: '' }))).toContain('rowId must not be empty');
  });

  it('rejects duplicate column names', () => {
    const columns = [
      { column: 'title', value: 'a' },
      { column: 'title', value: 'b' },
    ];
    expect(errorOf(built({ columns }))).toContain('duplicate column "title"');
  });

  it.each([3, 12, 13, 40])('names the first repeated column among %i columns', (count) => {
    // Few columns are scanned pairwise and many go through a Set: the same column is named.
    const columns = Array.from({ length: count }, (_, index) => ({
      column: `c${index}`,
      value: 1,
    }));
    columns.push({ column: `c${count - 2}`, value: 2 }, { column: 'c0', value: 3 });
    expect(errorOf(built({ columns }))).toContain(
      `column #${count}: duplicate column "c${count - 2}"`,
    );
  });

  it('names control characters before lone surrogates in identifiers', () => {
    expect(errorOf(built({ rowId: 'r\u0001\ud800' }))).toContain('contains a control character');
    expect(errorOf(built({ rowId: 'r\ud800' }))).toContain('lone UTF-16 surrogate');
    expect(validateDelta(built({ rowId: 'r\ud83d\ude80', clientId: 'é日本' })).ok).toBe(true);
  });

  it('rejects a DELETE with columns and an UPDATE or INSERT without', () => {
    expect(errorOf(built({ op: 'DELETE' }))).toContain('a DELETE carries no columns');
    expect(errorOf(built({ columns: [] }))).toContain('an UPDATE needs at least one column');
    expect(errorOf(built({ op: 'INSERT', columns: [] }))).toContain(
      'an INSERT needs at least one column',
    );
  });

  it('rejects an unknown op cast from a string', () => {
    const op = 'UPSERT' as unknown as RowDelta['op'];
    expect(errorOf({ ...built({}), op })).toContain('unknown op "UPSERT"');
  });

  it('rejects values that are not JSON-safe, saying where', () => {
    const message = errorOf(
      built({ columns: [{ column: 'meta', value: { tags: [1, () => 2] } }] }),
    );
    expect(message).toContain('value of "meta" is not JSON-safe at $.tags[1]: a function');
    expect(errorOf(built({ columns: [{ column: 'n', value: undefined }] }))).toContain('undefined');
  });

  it('enforces the limits and accepts overrides', () => {
    const big = 'x'.repeat(DEFAULT_DELTA_LIMITS.valueBytesMax);
    expect(errorOf(built({ columns: [{ column: 'big', value: big }] }))).toContain(
      'over the limit of 65536',
    );
    const many = Array.from({ length: 3 }, (_, index) => ({ column: `c${index}`, value: index }));
    expect(validateDelta(built({ columns: many })).ok).toBe(true);
    expect(errorOf(built({ columns: many }), { columnsMax: 2 })).toContain(
      '3 columns exceed the limit of 2',
    );
    expect(errorOf(built({ rowId: 'r'.repeat(513) }))).toContain('over the limit of 512');
  });

  it('measures every value against valueBytesMax as JSON.stringify does, near the limit', () => {
    // The length check skips serialising values whose JSON cannot reach the limit (primitives,
    // and arrays and objects by the bound of their parts); at and around each value's longest
    // form the outcome must still be JSON.stringify's.
    const values: unknown[] = [
      -0.0000012345678901234567,
      -1.2345678901234567e-308,
      -9007199254740991,
      0,
      true,
      false,
      null,
      '',
      'abc',
      'a"b\\c',
      '\u0000\u0001',
      'émigré',
      [1, 'x'],
      { tag: 'lake' },
      [],
      {},
      [[]],
      { '': {} },
      { 'a"\\': ['\u0000', -1.2345678901234567e-308, { nested: [true, null] }] },
      { tag: '🚀', n: 99, nested: { ok: false } },
      [[[[[[[[[[['deep']]]]]]]]]]],
    ];
    for (const value of values) {
      const length = JSON.stringify(value).length;
      for (const limit of [1, length - 1, length, length + 1, 24, 25, 26]) {
        if (limit < 1) continue;
        const result = validateDelta(built({ columns: [{ column: 'v', value }] }), {
          valueBytesMax: limit,
        });
        expect(result.ok, `${JSON.stringify(value)} at limit ${limit}`).toBe(length <= limit);
      }
    }
  });

  it('rejects garbage runtime shapes without throwing', () => {
    expect(errorOf(null)).toContain('expected an object');
    expect(errorOf('delta')).toContain('expected an object');
    expect(errorOf({ ...built({}), hlc: 5 })).toContain('not a 64-bit timestamp');
    expect(errorOf({ ...built({}), hlc: -1n as typeof CONTEXT.hlc })).toContain(
      'not a 64-bit timestamp',
    );
    expect(errorOf({ ...built({}), columns: 'title' })).toContain('columns must be an array');
    expect(errorOf({ ...built({}), columns: [null] })).toContain('column #0');
    expect(errorOf({ ...built({}), deltaId: 42 })).toContain('deltaId must be a string');
    expect(validateDelta(built({ hlc: HLC.encode(HLC.WALL_MAX, HLC.COUNTER_MAX) })).ok).toBe(true);
  });
});
