import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { write } from '../../conflict/__tests__/fixtures';
import { materialise, mergeIntoStates, rowStatesEqual } from '../../conflict/row-state';
import type { RowState } from '../../conflict/types';
import { rowKey } from '../../delta/row-key';
import type { DeltaOp, RowKey } from '../../delta/types';
import { Replica } from '../replica';

/** A small stream over two tables and three rows, so rows collide, overwrite and get deleted. */
const deltaStream = fc.array(
  fc
    .record({
      op: fc.constantFrom<DeltaOp>('INSERT', 'UPDATE', 'DELETE'),
      ms: fc.integer({ min: 0, max: 20 }),
      clientId: fc.constantFrom('client-a', 'client-b'),
      table: fc.constantFrom('todos', 'lists'),
      rowId: fc.constantFrom('r1', 'r2', 'r:3'),
      title: fc.string({ maxLength: 3 }),
      done: fc.option(fc.boolean()),
    })
    .map(({ op, ms, clientId, table, rowId, title, done }) =>
      write(op, ms, clientId, op === 'DELETE' ? {} : done === null ? { title } : { title, done }, {
        table,
        rowId,
      }),
    ),
  { maxLength: 40 },
);

describe('Replica', () => {
  // The replica finds rows through its own index; it must grow exactly as the plain map does.
  test.prop([deltaStream])('merges as mergeIntoStates does, and reads what it holds', (deltas) => {
    const replica = new Replica();
    const expected = new Map<RowKey, RowState>();
    for (const delta of deltas) {
      expect(replica.merge(delta)).toBe(mergeIntoStates(expected, delta));
    }
    const states = replica.states();
    expect([...states.keys()]).toEqual([...expected.keys()]);
    for (const [key, state] of expected) {
      expect(rowStatesEqual(states.get(key)!, state)).toBe(true);
      expect(replica.state(state.table, state.rowId)).toBe(states.get(key));
      expect(replica.get(state.table, state.rowId)).toEqual(materialise(state));
    }
    expect(replica.state('todos', 'absent')).toBeUndefined();
    expect(replica.get('absent', 'r1')).toBeNull();
  });

  it('starts again from its map when the map is cleared behind its back', () => {
    const replica = new Replica();
    replica.merge(write('INSERT', 1, 'client-a', { title: 'old' }));
    (replica.states() as Map<RowKey, RowState>).clear();
    expect(replica.state('todos', 'row-1')).toBeUndefined();
    expect(replica.merge(write('UPDATE', 2, 'client-a', { done: true }))).toBe(true);
    expect(replica.get('todos', 'row-1')).toEqual({ done: true });
    expect([...replica.states().keys()]).toEqual([rowKey('todos', 'row-1')]);
  });
});
