import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { skewedWorld } from '../src/client/__tests__/skewed-world';
import { rowVersionMax } from '../src/client/row-version';
import { rowKey } from '../src/delta/row-key';
import { unwrapOrThrow } from '../src/result/result';

/**
 * Session guarantees of the client over random clock skews within the 5 s drift bound (issue 9,
 * ADR-013): every write is stamped above everything its writer's replica held for the row, the
 * gateway never refuses such a stamp for drift, and a chain of writes where each writer first
 * reads the previous one ends with the last write's values everywhere.
 */

const NUM_RUNS = 150;
const DRIFT_MS = 5_000;
const CLIENTS = ['c0', 'c1', 'c2'] as const;
const ROWS = ['r0', 'r1'] as const;

type Step =
  | {
      readonly kind: 'write';
      readonly client: number;
      readonly row: number;
      readonly value: number;
    }
  | { readonly kind: 'delete'; readonly client: number; readonly row: number }
  | { readonly kind: 'sync'; readonly client: number }
  | { readonly kind: 'tick'; readonly ms: number };

const clientArb = fc.integer({ min: 0, max: CLIENTS.length - 1 });
const rowArb = fc.integer({ min: 0, max: ROWS.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    client: clientArb,
    row: rowArb,
    value: fc.integer({ min: 0, max: 1_000 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), client: clientArb, row: rowArb }),
  fc.record({ kind: fc.constant('sync' as const), client: clientArb }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 50 }) }),
);
const skewsArb = fc.tuple(
  fc.integer({ min: -DRIFT_MS, max: DRIFT_MS }),
  fc.integer({ min: -DRIFT_MS, max: DRIFT_MS }),
  fc.integer({ min: -DRIFT_MS, max: DRIFT_MS }),
);

function offsets(skews: readonly number[]): Record<string, number> {
  const byClient: Record<string, number> = {};
  CLIENTS.forEach((clientId, index) => {
    byClient[clientId] = skews[index] ?? 0;
  });
  return byClient;
}

describe('session guarantees over skewed clocks', () => {
  test.prop([skewsArb, fc.array(stepArb, { minLength: 1, maxLength: 40 })], { numRuns: NUM_RUNS })(
    'writes follow reads, read your writes, no drift refusal, convergence',
    async (skews, steps) => {
      const w = await skewedWorld(offsets(skews));
      for (const step of steps) {
        if (step.kind === 'tick') {
          w.tick(step.ms);
          continue;
        }
        const client = w.get(CLIENTS[step.client] ?? 'c0');
        if (step.kind === 'sync') {
          unwrapOrThrow(await client.syncOnce());
          continue;
        }
        const rowId = ROWS[step.row] ?? 'r0';
        const seen = rowVersionMax(client.replica().get(rowKey('todos', rowId)));
        const delta =
          step.kind === 'write'
            ? unwrapOrThrow(await client.insert('todos', rowId, { n: step.value }))
            : unwrapOrThrow(await client.delete('todos', rowId));
        if (delta === null) continue; // a delete of a row not visible here
        expect(delta.hlc > seen).toBe(true);
        expect(client.get('todos', rowId)).toEqual(
          step.kind === 'write' ? { n: step.value } : null,
        );
      }
      await w.syncAll();
      expect(w.stats().pushesRejected).toBe(0);
      const reference = w.get('c0').rows();
      for (const clientId of CLIENTS) expect(w.get(clientId).rows()).toEqual(reference);
    },
  );

  test.prop(
    [
      skewsArb,
      fc.array(fc.tuple(clientArb, fc.integer({ min: 0, max: 1_000 })), {
        minLength: 1,
        maxLength: 12,
      }),
    ],
    { numRuns: NUM_RUNS },
  )('a chain of read-then-write edits ends with the last edit everywhere', async (skews, chain) => {
    const w = await skewedWorld(offsets(skews));
    for (const [index, value] of chain) {
      const client = w.get(CLIENTS[index] ?? 'c0');
      unwrapOrThrow(await client.syncOnce()); // reads everything written so far
      unwrapOrThrow(await client.insert('todos', 'r0', { n: value }));
      unwrapOrThrow(await client.syncOnce());
      w.tick(1);
    }
    await w.syncAll();
    const last = chain[chain.length - 1]?.[1];
    for (const clientId of CLIENTS) expect(w.get(clientId).get('todos', 'r0')).toEqual({ n: last });
  });
});
