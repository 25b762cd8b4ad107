import { describe, expect, it } from 'vitest';
import { createRowState, mergeDelta } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { DeltaOp, RowDelta } from '../../src/delta/types';
import type { HLCTimestamp } from '../../src/hlc/types';
import { createPrng } from '../engine/prng';
import { checkConvergence } from '../oracles/convergence';
import { checkDurability, type IssuedWrite } from '../oracles/durability';
import { checkIdempotency } from '../oracles/idempotency';
import { foldDeltas, type LakeEnvelope } from '../oracles/lake-contents';
import { checkModelAgreement } from '../oracles/model-agreement';
import { MonotonicityWatch } from '../oracles/monotonicity';
import { ReferenceModel } from '../oracles/reference-model';
import {
  canonicalValue,
  diffViews,
  type RowsView,
  viewOfRows,
  viewOfStates,
} from '../oracles/rows-view';

let counter = 0;
function delta(
  op: DeltaOp,
  rowId: string,
  hlc: number,
  clientId: string,
  columns: Record<string, unknown> = {},
): RowDelta {
  counter++;
  return {
    op,
    table: 'todos',
    rowId,
    clientId,
    hlc: BigInt(hlc) as HLCTimestamp,
    columns: Object.entries(columns).map(([column, value]) => ({ column, value })),
    deltaId: `id-${counter.toString(16).padStart(12, '0')}`,
  };
}

const view = (rows: Record<string, Record<string, unknown>>): RowsView =>
  viewOfRows(new Map(Object.entries(rows)));

describe('ReferenceModel', () => {
  it('keeps the highest (hlc, clientId) per column', () => {
    const model = new ReferenceModel();
    model.apply(delta('INSERT', 'r1', 10, 'a', { title: 'x', done: false }));
    model.apply(delta('UPDATE', 'r1', 12, 'a', { title: 'y' }));
    model.apply(delta('UPDATE', 'r1', 11, 'b', { title: 'z', done: true }));
    model.apply(delta('UPDATE', 'r1', 12, 'b', { done: null })); // same hlc, higher client wins
    expect(model.view()).toEqual(view({ 'todos:r1': { title: 'y', done: null } }));
  });

  it('hides a row deleted after its writes and resurrects it with later columns only', () => {
    const model = new ReferenceModel();
    model.apply(delta('INSERT', 'r1', 10, 'a', { title: 'x', done: false }));
    model.apply(delta('DELETE', 'r1', 20, 'b'));
    expect(model.view().size).toBe(0);
    model.apply(delta('UPDATE', 'r1', 30, 'a', { done: true }));
    expect(model.view()).toEqual(view({ 'todos:r1': { done: true } }));
    model.apply(delta('UPDATE', 'r1', 15, 'c', { title: 'late but older than the delete' }));
    expect(model.view()).toEqual(view({ 'todos:r1': { done: true } }));
  });

  it('agrees with the core lattice on random histories, in any order', () => {
    const prng = createPrng(17, 'model-vs-core');
    for (let round = 0; round < 200; round++) {
      const deltas: RowDelta[] = [];
      const stamps = new Set<string>();
      while (deltas.length < 12) {
        // A client never stamps two writes alike, so (hlc, clientId) is unique per history.
        const hlc = 1 + prng.below(8);
        const clientId = prng.pick(['c1', 'c2', 'c3']);
        if (stamps.has(`${hlc}/${clientId}`)) continue;
        stamps.add(`${hlc}/${clientId}`);
        const roll = prng.below(3);
        const op: DeltaOp = roll === 0 ? 'DELETE' : roll === 1 ? 'INSERT' : 'UPDATE';
        const columns: Record<string, unknown> = {};
        if (op !== 'DELETE') columns[prng.pick(['a', 'b', '__proto__'])] = prng.below(5);
        deltas.push(delta(op, `r${prng.below(3)}`, hlc, clientId, columns));
      }
      const model = new ReferenceModel();
      for (const each of deltas) model.apply(each);
      const shuffled = [...deltas].sort(() => (prng.chance(0.5) ? 1 : -1));
      expect(viewOfStates(foldDeltas(shuffled))).toEqual(model.view());
    }
  });
});

describe('rows views', () => {
  it('canonicalises values with sorted keys and keeps __proto__ as a key', () => {
    const odd = JSON.parse('{"b":1,"__proto__":{"z":2,"a":[3]}}') as unknown;
    expect(canonicalValue(odd)).toBe('{"__proto__":{"a":[3],"z":2},"b":1}');
  });

  it('explains each difference with row, column and both values', () => {
    const expected = view({ 'todos:r1': { title: 'a' }, 'todos:r2': { done: true } });
    const actual = view({ 'todos:r1': { title: 'b' }, 'todos:r3': { done: false } });
    expect(diffViews('gateway', expected, 'client-3', actual)).toEqual([
      'row todos:r1 column "title": gateway has "a" but client-3 has "b"',
      'row todos:r2 is visible at gateway {done=true} but missing at client-3',
      'row todos:r3 is visible at client-3 {done=false} but not at gateway',
    ]);
  });

  it('reads RowStates through the core materialiser', () => {
    const state: RowState = createRowState('todos', 'r1');
    mergeDelta(state, delta('INSERT', 'r1', 5, 'a', { title: 't' }));
    expect(viewOfStates(new Map([['todos:r1', state]]))).toEqual(
      view({ 'todos:r1': { title: 't' } }),
    );
  });
});

describe('oracles on hand-made inputs', () => {
  it('convergence: flags a client that differs from the gateway and a lake that differs', () => {
    const gateway = view({ 'todos:r1': { title: 'a' } });
    expect(checkConvergence(gateway, gateway, [{ name: 'client-0', view: gateway }])).toEqual([]);
    const stale = view({ 'todos:r1': { title: 'old' } });
    const messages = checkConvergence(gateway, stale, [{ name: 'client-2', view: stale }]);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain('client-2 has "old"');
  });

  it('idempotency: flags a deltaId twice in the log and twice across envelopes', () => {
    const one = delta('INSERT', 'r1', 1, 'a', { title: 'x' });
    const two = delta('UPDATE', 'r1', 2, 'a', { title: 'y' });
    const envelope = (key: string, deltas: RowDelta[]): LakeEnvelope => ({
      key,
      envelope: {
        version: 1,
        gatewayId: 'g',
        createdAt: '',
        hlcRange: { min: 0n as HLCTimestamp, max: 0n as HLCTimestamp },
        deltaCount: deltas.length,
        byteSize: 0,
        deltas,
      },
    });
    expect(checkIdempotency([one, two], [envelope('k1', [one]), envelope('k2', [two])])).toEqual(
      [],
    );
    const messages = checkIdempotency(
      [one, two, one],
      [envelope('k1', [one, two]), envelope('k2', [two])],
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain(`${one.deltaId.slice(0, 12)} (a INSERT todos:r1`);
    expect(messages[1]).toContain('in k1 and in k2');
  });

  it('durability: flags lost, altered and invented deltas', () => {
    const kept = delta('INSERT', 'r1', 1, 'a', { title: 'x' });
    const lost = delta('UPDATE', 'r1', 2, 'a', { title: 'y' });
    const altered = delta('UPDATE', 'r2', 3, 'b', { title: 'z' });
    const invented = delta('DELETE', 'r9', 4, 'c');
    const issued = new Map<string, IssuedWrite>(
      [kept, lost, altered].map((each, index) => [
        each.deltaId,
        { delta: each, atMs: index * 100 },
      ]),
    );
    expect(checkDurability(issued, [kept, lost, altered])).toEqual([]);
    const messages = checkDurability(issued, [
      kept,
      { ...altered, columns: [{ column: 'title', value: 'Z' }] },
      invented,
    ]);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/made at 100 ms was acknowledged but is not in the lake/);
    expect(messages[1]).toMatch(/different content/);
    expect(messages[2]).toMatch(/which no client wrote/);
  });

  it('model agreement: flags a gateway that kept a deleted column', () => {
    const model = view({ 'todos:r1': { done: true } });
    expect(checkModelAgreement(model, model)).toEqual([]);
    const wrong = view({ 'todos:r1': { done: true, title: 'zombie' } });
    expect(checkModelAgreement(model, wrong)).toEqual([
      'row todos:r1 column "title": the reference model has (absent) but gateway has "zombie"',
    ]);
  });

  it('monotonicity: flags a write HLC not above the previous one, per client, and an unordered log', () => {
    const watch = new MonotonicityWatch();
    expect(watch.write(0, 10n, () => 'w1')).toBeNull();
    expect(watch.write(1, 5n, () => 'w2')).toBeNull();
    expect(watch.write(0, 11n, () => 'w3')).toBeNull();
    expect(watch.write(0, 11n, () => 'w4')).toMatch(/client-0 wrote w4 .* not above/);
    const entry = (ingest: number) => ({
      ingestHlc: BigInt(ingest) as HLCTimestamp,
      delta: delta('DELETE', 'r', ingest, 'a'),
      bytes: 1,
    });
    expect(watch.gatewayLog('gw', [entry(1), entry(2), entry(5)])).toBeNull();
    expect(watch.gatewayLog('gw', [entry(1), entry(3), entry(3)])).toMatch(
      /log entry #2 .* not above/,
    );
  });
});
