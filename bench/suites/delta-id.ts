import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import seedrandom from 'seedrandom';
import { type DeltaIdFields, deltaId } from '../../src/delta/delta-id';
import type { ColumnDelta } from '../../src/delta/types';
import { HLC } from '../../src/hlc/hlc';
import { consume, measurePair } from '../lib/measure';
import { atLeast, rowFromQuantities } from '../lib/stats';
import type { Suite } from '../lib/suite';

const INPUTS = 5_000;
const INPUTS_QUICK = 200;

/**
 * The obvious way to compute a delta's id, as DESIGN.md defines it: normalise the columns
 * (`{column, value}`, sorted by name), serialise `{clientId, columns, hlc, rowId, table}` with
 * `fast-json-stable-stringify`, hash with a fresh `createHash('sha256')`.
 */
export function straightforwardDeltaId(fields: DeltaIdFields): string {
  const columns = fields.columns
    .map(({ column, value }) => ({ column, value }))
    .sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  const text = stableStringify({
    clientId: fields.clientId,
    columns,
    hlc: fields.hlc.toString(),
    rowId: fields.rowId,
    table: fields.table,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Seeded identity fields with varied columns: one to four columns in random order, values of
 * every JSON kind (escaped and non-ASCII strings, negative and fractional numbers, booleans,
 * null, arrays, objects with unsorted keys nested two deep).
 */
export function generateIdFields(seed: string, count: number): DeltaIdFields[] {
  const prng = seedrandom(seed);
  const pick = (bound: number): number => Math.floor(prng() * bound);
  const value = (depth: number): unknown => {
    switch (pick(depth > 1 ? 5 : 7)) {
      case 0:
        return `text ${pick(1e6)}${prng() < 0.2 ? ' "quoted" \\ é ✓ \u0001' : ''}`;
      case 1:
        return prng() < 0.5 ? pick(1e9) - 5e8 : Math.round(prng() * 1e6) / 1e3;
      case 2:
        return prng() < 0.5;
      case 3:
        return null;
      case 4:
        return `${pick(100)}`;
      case 5:
        return Array.from({ length: pick(4) }, () => value(depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (const key of ['zeta', 'alpha', 'mid', 'beta'].slice(0, 1 + pick(4))) {
          object[key] = value(depth + 1);
        }
        return object;
      }
    }
  };
  const names = ['title', 'done', 'meta', 'amount', 'tags'];
  return Array.from({ length: count }, (_, index) => {
    const columns: ColumnDelta[] = [];
    const start = pick(names.length);
    for (let offset = 0; offset < 1 + pick(4); offset++) {
      columns.push({ column: names[(start + offset) % names.length]!, value: value(0) });
    }
    return {
      clientId: `client-${pick(16)}`,
      hlc: HLC.encode(1_700_000_000_000 + index, pick(4)),
      table: ['todos', 'notes'][pick(2)]!,
      rowId: `row-${pick(5_000)}`,
      columns,
    };
  });
}

/**
 * `deltaId` (hand-written canonical JSON + SHA-256) against the straightforward version. Before
 * any timing it checks that both give the same id for every input and throws if one differs:
 * a faster id that is not the same id would break dedupe across versions.
 */
export const deltaIdSuite: Suite = {
  id: 'delta-id',
  title: 'deltaId',
  async run(context) {
    const count = context.quick ? INPUTS_QUICK : INPUTS;
    const inputs = generateIdFields('bench/delta-id', count);
    for (const [position, fields] of inputs.entries()) {
      const fast = deltaId(fields);
      const plain = straightforwardDeltaId(fields);
      if (fast !== plain) {
        throw new Error(
          `deltaId differs from the straightforward id on input ${position} (seed bench/delta-id): ${fast} vs ${plain}; fields ${JSON.stringify(fields, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
        );
      }
    }
    context.log(`  delta-id: ${count} ids equal to the straightforward version`);
    const measured = await measurePair(
      {
        label: 'deltaId',
        opsPerSample: count,
        run: () => {
          let length = 0;
          for (const fields of inputs) length += deltaId(fields).length;
          consume(length);
        },
      },
      {
        label: 'fast-json-stable-stringify + createHash',
        opsPerSample: count,
        run: () => {
          let length = 0;
          for (const fields of inputs) length += straightforwardDeltaId(fields).length;
          consume(length);
        },
      },
      context.budget,
    );
    return {
      rows: [
        rowFromQuantities({
          id: 'delta.delta-id',
          suite: this.id,
          title: 'deltaId (canonical JSON + SHA-256)',
          subject: measured.subject,
          baseline: measured.baseline,
          ratioText: 'deltaId rate ÷ straightforward rate',
          target: atLeast(2, '≥ 2 × the straightforward version'),
          note: `${count.toLocaleString('en-GB')} seeded inputs (1–4 columns, every JSON kind, nested objects with unsorted keys); all ${count.toLocaleString('en-GB')} ids checked equal before timing.`,
        }),
      ],
    };
  },
};
