import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '#sha256';
import { HLC } from '../../hlc/hlc';
import { type DeltaIdFields, deltaId, deltaIdInput } from '../delta-id';
import { utf8DeltaId } from '../delta-id-utf8';

/**
 * `utf8DeltaId` hashes bytes it wrote itself instead of the string `deltaIdInput` builds: when it
 * answers, it must be the SHA-256 of exactly that string. Inputs mix plain text (the fast path), every
 * kind of Unicode, escapes, lone surrogates, unsorted and duplicate columns, nested and missing values.
 */

const textArb = fc.oneof(
  fc.string({ minLength: 0, maxLength: 10 }),
  fc.string({ minLength: 0, maxLength: 6, unit: 'binary' }),
  fc.constantFrom(
    'a',
    'todo-1',
    'é',
    '日本',
    '🚀',
    'x"y',
    'back\\slash',
    'tab\t',
    '__proto__',
    '\ud800',
  ),
);

const fieldsArb: fc.Arbitrary<DeltaIdFields> = fc.record({
  clientId: textArb,
  hlc: fc
    .tuple(fc.integer({ min: 0, max: HLC.WALL_MAX }), fc.integer({ min: 0, max: HLC.COUNTER_MAX }))
    .map(([wall, counter]) => HLC.encode(wall, counter)),
  table: textArb,
  rowId: textArb,
  columns: fc.array(
    fc.record({
      column: textArb,
      value: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        textArb,
        fc.jsonValue({ maxDepth: 2 }),
        fc.jsonValue({ maxDepth: 10 }),
        fc.dictionary(textArb, fc.oneof(fc.integer(), textArb, fc.constant(undefined)), {
          maxKeys: 4,
        }),
        fc.array(fc.oneof(fc.double(), fc.constant(undefined), fc.date()), { maxLength: 3 }),
        fc.date(),
      ),
    }),
    { maxLength: 5 },
  ),
});

describe('utf8DeltaId', () => {
  test.prop([fieldsArb], { numRuns: 2_000 })(
    'is null or the SHA-256 of deltaIdInput, and deltaId agrees with the string path',
    (fields) => {
      const fast = utf8DeltaId(fields);
      const slow = sha256Hex(deltaIdInput(fields));
      if (fast !== null) expect(fast).toBe(slow);
      expect(deltaId(fields)).toBe(slow);
    },
  );

  it('answers for a plain delta, and leaves escapes, lone surrogates, toJSON and unsorted columns to the string path', () => {
    const hlc = HLC.encode(1_700_000_000_000, 3);
    const plain: DeltaIdFields = {
      clientId: 'client-1',
      hlc,
      table: 'todos',
      rowId: 'r1',
      columns: [
        { column: 'done', value: false },
        { column: 'n', value: -0.5e-7 },
        { column: 'title', value: 'milk' },
      ],
    };
    expect(utf8DeltaId(plain)).toBe(sha256Hex(deltaIdInput(plain)));
    for (const rowId of ['é', '日本', '🚀 1', 'del\u007f']) {
      const fields = { ...plain, rowId, columns: [{ column: 'tag', value: rowId }] };
      expect(utf8DeltaId(fields)).toBe(sha256Hex(deltaIdInput(fields)));
    }
    expect(utf8DeltaId({ ...plain, rowId: '\ud800' })).toBeNull();
    for (const value of [
      { tag: 'émigré', n: 7, nested: { ok: true } },
      { b: 1, a: [1, 'x', null], '': {}, 10: 2, 9: 3 },
      [3, '🚀', false, [], {}],
    ]) {
      const fields = { ...plain, columns: [{ column: 'meta', value }] };
      expect(utf8DeltaId(fields)).toBe(sha256Hex(deltaIdInput(fields)));
    }
    const refused: unknown[] = [
      new Date(0),
      { when: new Date(0) },
      [1, undefined],
      { gone: undefined },
      { 'a"b': 1 },
      [Number.NaN],
      [[[[[[[[[['deep']]]]]]]]]],
    ];
    for (const value of refused) {
      expect(utf8DeltaId({ ...plain, columns: [{ column: 'meta', value }] })).toBeNull();
    }
    expect(utf8DeltaId({ ...plain, rowId: 'a\udc00' })).toBeNull();
    expect(utf8DeltaId({ ...plain, rowId: 'a"b' })).toBeNull();
    expect(utf8DeltaId({ ...plain, columns: [...plain.columns].reverse() })).toBeNull();
    expect(utf8DeltaId({ ...plain, columns: [{ column: 'x', value: undefined }] })).toBeNull();
  });

  test.prop(
    [
      fc.integer({ min: 5_300, max: 5_500 }),
      fc.constantFrom('a', 'é', '日', '🚀'),
      fc.integer({ min: 0, max: 3 }),
    ],
    { numRuns: 200 },
  )('is null or right for id texts around the buffer size', (repeat, unit, columns) => {
    // 5,300 to 5,500 units of 1 to 4 bytes each, over up to 3 columns: texts from 5 KiB to 66 KiB,
    // so every room check (strings, constants, the hlc, nested structure) meets its limit.
    const text = unit.repeat(Math.floor(repeat / unit.length));
    const fields: DeltaIdFields = {
      clientId: 'client-1',
      hlc: HLC.encode(1_700_000_000_000, 3),
      table: 'todos',
      rowId: text.slice(0, 64),
      columns: Array.from({ length: columns }, (_, index) => ({
        column: `c${index}`,
        value: index === 1 ? [[[[]]], text, { [text.slice(0, 8)]: [] }] : text,
      })),
    };
    const fast = utf8DeltaId(fields);
    if (fast !== null) expect(fast).toBe(sha256Hex(deltaIdInput(fields)));
    expect(deltaId(fields)).toBe(sha256Hex(deltaIdInput(fields)));
  });

  test.prop(
    [
      fc.array(fc.tuple(fieldsArb, fc.constantFrom('client-1', 'client-2', 'é', 'x"y', '\ud800')), {
        minLength: 1,
        maxLength: 12,
      }),
    ],
    { numRuns: 500 },
  )('gives the same ids in any sequence of clients (the buffer keeps the last prefix)', (runs) => {
    for (const [fields, clientId] of runs) {
      const client = { ...fields, clientId };
      const fast = utf8DeltaId(client);
      if (fast !== null) expect(fast).toBe(sha256Hex(deltaIdInput(client)));
    }
  });
});
