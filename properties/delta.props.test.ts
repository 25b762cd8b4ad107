import { fc, test } from '@fast-check/vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import deepEqual from 'fast-deep-equal';
import stableStringify from 'fast-json-stable-stringify';
import { describe, expect } from 'vitest';
import { applyDelta } from '../src/delta/apply';
import { canonicalJson } from '../src/delta/canonical-json';
import { type DeltaFields, deltaId, deltaIdInput, makeDelta } from '../src/delta/delta-id';
import { extractDelta } from '../src/delta/extract';
import { jsonEqual } from '../src/delta/json-equal';
import { isJsonSafe, numberProblem } from '../src/delta/json-safe';
import type { ColumnDelta, Row } from '../src/delta/types';
import { validateDelta } from '../src/delta/validate';
import { HLC } from '../src/hlc/hlc';

/**
 * Laws of delta extraction and identity: extract-then-apply reproduces the new row (whatever the
 * column names), `deltaId` depends on content only, and the hand-written functions agree with the
 * libraries they stand in for: canonical JSON is byte-for-byte `fast-json-stable-stringify`,
 * `deltaId` is the SHA-256 (`@noble/hashes`) of that library's output, and `jsonEqual` is
 * `fast-deep-equal` wherever that library's answer is about JSON rather than prototypes.
 */

const NUM_RUNS = 1_000;
const CONTEXT = {
  table: 'todos',
  rowId: 'row-1',
  clientId: 'client-a',
  hlc: HLC.encode(1_700_000_000_000, 3),
};

/** JSON values a column may hold: `fc.jsonValue` without integral numbers beyond ±(2^53 − 1). */
const jsonArb = fc.jsonValue({ maxDepth: 3 }).filter(isJsonSafe);

/** Numbers JSON readers disagree on, which extraction and validation must refuse. */
const inexactNumberArb = fc.oneof(
  fc.constantFrom(
    2 ** 53,
    -(2 ** 53),
    Number('12345678901234567890'),
    1e308 * 10,
    -Infinity,
    Number.NaN,
  ),
  fc.double({ min: 2 ** 53 }),
  fc.double({ max: -(2 ** 53) }),
);

const columnNameArb = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'),
  fc.string({ minLength: 1, maxLength: 8 }),
);

/** Entries with unique names, turned into a plain or null-prototype row (own properties only). */
const entriesArb = fc.uniqueArray(fc.tuple(columnNameArb, jsonArb), {
  maxLength: 6,
  selector: ([name]) => name,
});

function toRow(entries: ReadonlyArray<readonly [string, unknown]>, nullPrototype: boolean): Row {
  const row: Row = nullPrototype ? Object.create(null) : {};
  for (const [name, value] of entries) {
    Object.defineProperty(row, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return row;
}

/** Rebuilds a JSON value with every object's keys in reverse insertion order. */
function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, {
      value: reorderKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const fieldsArb: fc.Arbitrary<DeltaFields> = fc
  .record({
    clientId: fc.string({ minLength: 1, maxLength: 10 }),
    wall: fc.integer({ min: 0, max: HLC.WALL_MAX }),
    counter: fc.integer({ min: 0, max: HLC.COUNTER_MAX }),
    table: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/),
    rowId: fc.string({ minLength: 1, maxLength: 10 }),
    entries: fc.uniqueArray(fc.tuple(columnNameArb, jsonArb), {
      minLength: 1,
      maxLength: 5,
      selector: ([name]) => name,
    }),
  })
  .map(({ clientId, wall, counter, table, rowId, entries }) => ({
    op: 'UPDATE' as const,
    clientId,
    hlc: HLC.encode(wall, counter),
    table,
    rowId,
    columns: entries.map(([column, value]): ColumnDelta => ({ column, value })),
  }));

/**
 * A copy of a JSON value that `fast-deep-equal` compares by JSON content alone: objects become
 * plain objects (the library compares constructors, and calls `valueOf` on a null-prototype
 * object, which has none), and every key gets a `$` prefix, so an own key such as `valueOf`,
 * `constructor` or `__proto__` cannot shadow what the library looks up. The prefix is injective, so
 * equality is unchanged.
 */
function referenceShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referenceShape);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[`$${key}`] = referenceShape((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** `value` with every object rebuilt without a prototype. */
function withNullPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNullPrototypes);
  if (typeof value !== 'object' || value === null) return value;
  return toRow(
    Object.entries(value).map(([key, inner]) => [key, withNullPrototypes(inner)] as const),
    true,
  );
}

/** Pairs that are equal (reordered, null-prototype, -0 for 0), nearly equal, or unrelated. */
const equalityPairArb: fc.Arbitrary<readonly [unknown, unknown]> = fc.oneof(
  entriesArb.map((entries) => [toRow(entries, false), toRow(entries, true)] as const),
  jsonArb.map((a) => [a, reorderKeys(a)] as const),
  jsonArb.map((a) => [a, withNullPrototypes(a)] as const),
  jsonArb.map(
    (a) => [a, JSON.parse(JSON.stringify(a).replace(/(^|[^\w.])0(?![\w.])/g, '$1-0'))] as const,
  ),
  fc.tuple(jsonArb, jsonArb),
  fc.tuple(entriesArb, columnNameArb, jsonArb).map(([entries, name, value]) => {
    const changed = entries.filter(([key]) => key !== name);
    return [toRow(entries, false), toRow([...changed, [name, value]], true)] as const;
  }),
);

describe('delta properties', () => {
  test.prop([entriesArb, entriesArb, fc.boolean(), fc.boolean()], { numRuns: NUM_RUNS })(
    'applyDelta(before, extractDelta(before, after)) equals after, without touching Object.prototype',
    (beforeEntries, changes, beforeNull, afterNull) => {
      const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
      const changed = new Map(changes);
      // `after` keeps every column of `before` (absent columns are "left alone", not deleted).
      const afterEntries: Array<[string, unknown]> = beforeEntries.map(([name, value]) => [
        name,
        changed.has(name) ? changed.get(name) : value,
      ]);
      for (const [name, value] of changes) {
        if (!beforeEntries.some(([existing]) => existing === name))
          afterEntries.push([name, value]);
      }
      const before = toRow(beforeEntries, beforeNull);
      const after = toRow(afterEntries, afterNull);
      const result = extractDelta(before, after, CONTEXT);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const delta = result.value;
      if (delta === null) {
        expect(jsonEqual(before, after)).toBe(true);
      } else {
        expect(validateDelta(delta).ok).toBe(true);
        expect(jsonEqual(applyDelta(before, delta), after)).toBe(true);
        for (const { column } of delta.columns) expect(Object.hasOwn(after, column)).toBe(true);
      }
      const inserted = extractDelta(null, after, CONTEXT);
      if (afterEntries.length === 0) {
        expect(inserted.ok).toBe(false);
      } else {
        expect(inserted.ok && jsonEqual(applyDelta(null, inserted.value!), after)).toBe(true);
      }
      const deleted = extractDelta(before, null, CONTEXT);
      expect(deleted.ok && deleted.value !== null && applyDelta(before, deleted.value)).toBe(null);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    },
  );

  test.prop([fieldsArb], { numRuns: NUM_RUNS })(
    'deltaId is stable under column order and nested key order, and validates',
    (fields) => {
      const reordered: DeltaFields = {
        ...fields,
        op: 'INSERT',
        columns: [...fields.columns]
          .reverse()
          .map(({ column, value }) => ({ column, value: reorderKeys(value) })),
      };
      expect(deltaId(reordered)).toBe(deltaId(fields));
      const delta = makeDelta(fields);
      expect(validateDelta(delta).ok).toBe(true);
    },
  );

  test.prop(
    [fieldsArb, fc.constantFrom('clientId', 'hlc', 'table', 'rowId', 'value', 'column', 'drop')],
    {
      numRuns: NUM_RUNS,
    },
  )(
    'deltaId differs when any identifying field differs, and validateDelta catches it',
    (fields, what) => {
      const [first, ...rest] = fields.columns;
      let changed: DeltaFields;
      switch (what) {
        case 'clientId':
          changed = { ...fields, clientId: `${fields.clientId}x` };
          break;
        case 'hlc':
          changed = {
            ...fields,
            hlc: HLC.encode(0, 0) === fields.hlc ? HLC.encode(0, 1) : HLC.encode(0, 0),
          };
          break;
        case 'table':
          changed = { ...fields, table: `${fields.table}x` };
          break;
        case 'rowId':
          changed = { ...fields, rowId: `${fields.rowId}x` };
          break;
        case 'value':
          changed = {
            ...fields,
            columns: [{ column: first!.column, value: [first!.value] }, ...rest],
          };
          break;
        case 'column':
          changed = {
            ...fields,
            columns: [{ column: `${first!.column}\u00e9`, value: first!.value }, ...rest],
          };
          break;
        default:
          changed = {
            ...fields,
            columns: rest.length > 0 ? rest : [{ column: first!.column, value: 'other' }],
          };
          if (rest.length === 0 && jsonEqual(first!.value, 'other'))
            changed = { ...fields, rowId: `${fields.rowId}y` };
      }
      expect(deltaId(changed)).not.toBe(deltaId(fields));
      const forged = { ...makeDelta(changed), deltaId: deltaId(fields) };
      expect(validateDelta(forged).ok).toBe(false);
    },
  );

  test.prop([fieldsArb], { numRuns: NUM_RUNS })(
    'deltaIdInput equals fast-json-stable-stringify of the normalised fields',
    (fields) => {
      const normalised = {
        clientId: fields.clientId,
        hlc: fields.hlc.toString(),
        table: fields.table,
        rowId: fields.rowId,
        columns: [...fields.columns]
          .sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
          .map(({ column, value }) => ({ column, value })),
      };
      expect(deltaIdInput(fields)).toBe(stableStringify(normalised));
    },
  );

  test.prop([fc.oneof(jsonArb, fc.anything({ withNullPrototype: true, withObjectString: true }))], {
    numRuns: NUM_RUNS,
  })('canonicalJson equals fast-json-stable-stringify', (value) => {
    expect(canonicalJson(value)).toBe(stableStringify(value));
  });

  test.prop(
    [
      jsonArb.chain((a) =>
        fc.tuple(fc.constant(a), fc.oneof(fc.constant(reorderKeys(a)), jsonArb)),
      ),
    ],
    { numRuns: NUM_RUNS },
  )('jsonEqual agrees with equality of canonical JSON; JSON values are JSON-safe', ([a, b]) => {
    expect(jsonEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
    expect(isJsonSafe(a)).toBe(true);
    expect(jsonEqual(JSON.parse(JSON.stringify(a)), a)).toBe(true);
  });
  test.prop([fieldsArb], { numRuns: NUM_RUNS })(
    'deltaId is the SHA-256 of fast-json-stable-stringify of the normalised fields',
    (fields) => {
      const normalised = {
        clientId: fields.clientId,
        hlc: fields.hlc.toString(),
        table: fields.table,
        rowId: fields.rowId,
        columns: [...fields.columns]
          .sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
          .map(({ column, value }) => ({ column, value })),
      };
      expect(deltaId(fields)).toBe(bytesToHex(sha256(utf8ToBytes(stableStringify(normalised)))));
    },
  );

  test.prop([equalityPairArb], { numRuns: NUM_RUNS })(
    'jsonEqual agrees with fast-deep-equal on JSON values, whatever their prototypes and key names',
    ([a, b]) => {
      expect(jsonEqual(a, b)).toBe(deepEqual(referenceShape(a), referenceShape(b)));
      expect(jsonEqual(a, b)).toBe(jsonEqual(b, a));
    },
  );

  test.prop([fc.tuple(jsonArb, inexactNumberArb, fc.constantFrom('top', 'array', 'object'))], {
    numRuns: NUM_RUNS,
  })(
    'numbers JSON readers disagree on are refused at extract and validate, nested or not',
    ([other, number, where]) => {
      expect(numberProblem(number)).not.toBeNull();
      const value =
        where === 'top' ? number : where === 'array' ? [other, number] : { n: number, other };
      const extracted = extractDelta(null, { keep: other, broken: value }, CONTEXT);
      expect(extracted.ok).toBe(false);
      if (!extracted.ok)
        expect(extracted.error.message).toContain('column "broken" is not JSON-safe');
      const forged = makeDelta({
        ...CONTEXT,
        op: 'INSERT',
        columns: [{ column: 'broken', value }],
      });
      expect(validateDelta(forged).ok).toBe(false);
    },
  );
});
