import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deltaId, makeDelta } from '../../delta/delta-id';
import { utf8DeltaId } from '../../delta/delta-id-utf8';
import type { RowDelta } from '../../delta/types';
import { validateDelta } from '../../delta/validate';
import { HLC } from '../../hlc/hlc';
import { checkedDelta, forgedDeltaIdProblem, pushedDeltaShapeProblem } from '../push-verify';

/** The gateway's two-step check: shape first, then (only if the shape is fine) the id. */
function gatewayVerdict(delta: RowDelta): string | null {
  return pushedDeltaShapeProblem(delta) ?? forgedDeltaIdProblem(delta);
}

const textArb = fc.oneof(
  fc.constantFrom('todos', 'row-1', 'client-a', 'done', 'a"b', 'back\\slash', '\u0001', '\ud800'),
  fc.string({ maxLength: 6 }),
);
const valueArb = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  textArb,
  fc.double(),
  fc.constantFrom(2 ** 53, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
  fc.integer(),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
);
const columnsArb = fc.array(fc.record({ column: textArb, value: valueArb }), { maxLength: 10 });
/** Deltas that are mostly valid: the fast path's territory. */
const plainNameArb = fc.oneof(
  fc.constantFrom('done', 'title', 'a"b', 'x\\y', '__proto__', 'é', '\ud83d\ude00'),
  fc.string({ minLength: 1, maxLength: 6 }).filter((name) => !hasControlCharacter(name)),
);
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}
const safeValueArb = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  textArb,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.jsonValue({ maxDepth: 2 }).filter((value) => validateDelta(probe(value)).ok),
);
function probe(value: unknown): RowDelta {
  return makeDelta({
    op: 'UPDATE',
    table: 'todos',
    rowId: 'r',
    clientId: 'c',
    hlc: HLC.encode(1, 0),
    columns: [{ column: 'v', value }],
  });
}
const validFieldsArb = fc
  .record({
    op: fc.constantFrom('INSERT', 'UPDATE', 'DELETE'),
    table: fc.constantFrom('todos', 'notes'),
    rowId: plainNameArb,
    clientId: plainNameArb,
    hlc: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    columns: fc.uniqueArray(fc.record({ column: plainNameArb, value: safeValueArb }), {
      minLength: 1,
      maxLength: 10,
      selector: (change) => change.column,
    }),
    forge: fc.boolean(),
  })
  .map((fields) => (fields.op === 'DELETE' ? { ...fields, columns: [] } : fields));
const wildFieldsArb = fc.record({
  op: fc.constantFrom('INSERT', 'UPDATE', 'DELETE', 'UPSERT'),
  table: fc.constantFrom('todos', 'notes', 'bad:table', '', '9x'),
  rowId: textArb,
  clientId: textArb,
  hlc: fc.oneof(fc.bigInt({ min: -1n, max: 1n << 64n }), fc.constant(HLC.encode(1, 2))),
  columns: columnsArb,
  forge: fc.boolean(),
});
const deltaArb = fc.oneof(validFieldsArb, wildFieldsArb).map(({ forge, ...fields }) => {
  const made = (() => {
    try {
      return makeDelta(fields as Parameters<typeof makeDelta>[0]);
    } catch {
      return { ...fields, deltaId: 'not-an-id' } as unknown as RowDelta;
    }
  })();
  return forge ? { ...made, deltaId: 'f'.repeat(64) } : made;
});

describe('the gateway’s push checks', () => {
  test.prop([deltaArb], { numRuns: 2_000 })(
    'accept exactly what validateDelta accepts, forged ids included',
    (delta) => {
      const reference = validateDelta(delta);
      const verdict = gatewayVerdict(delta);
      expect(verdict === null).toBe(reference.ok);
      if (!reference.ok) expect(verdict).toBe(reference.error.message);
    },
  );

  test.prop([deltaArb], { numRuns: 2_000 })(
    'checkedDelta (recovery) gives exactly what validateDelta gives',
    (delta) => {
      const reference = validateDelta(delta);
      const checked = checkedDelta(delta);
      expect(checked.ok).toBe(reference.ok);
      if (checked.ok && reference.ok) expect(checked.value).toBe(reference.value);
      if (!checked.ok && !reference.ok) {
        expect(checked.error.code).toBe(reference.error.code);
        expect(checked.error.message).toBe(reference.error.message);
      }
    },
  );

  test.prop([deltaArb], { numRuns: 2_000 })(
    'hash the same id from bytes as deltaId does from text, or decline',
    (delta) => {
      if (!validateDelta({ ...delta, deltaId: deltaId(delta) }).ok) return;
      const fromBytes = utf8DeltaId(delta);
      if (fromBytes !== null) expect(fromBytes).toBe(deltaId(delta));
    },
  );

  it('see enough valid deltas in that property to exercise the fast path', () => {
    const sample = fc.sample(deltaArb, { numRuns: 2_000, seed: 11 });
    const valid = sample.filter((delta) => validateDelta(delta).ok).length;
    expect(valid).toBeGreaterThan(200);
  });

  it('accept the common shape and refuse its forged twin, naming the expected id', () => {
    const delta = makeDelta({
      op: 'UPDATE',
      table: 'todos',
      rowId: 'row-1',
      clientId: 'client-a',
      hlc: HLC.encode(1_700_000_000_000, 7),
      columns: [
        { column: 'done', value: true },
        { column: 'title', value: 'milk "2%"' },
      ],
    });
    expect(gatewayVerdict(delta)).toBeNull();
    const forged = { ...delta, columns: [{ column: 'done', value: false }] };
    expect(pushedDeltaShapeProblem(forged)).toBeNull();
    expect(forgedDeltaIdProblem(forged)).toMatch(
      /does not match its content \(expected [0-9a-f]{64}\)/,
    );
  });
});
