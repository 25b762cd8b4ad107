import { describe, expect, it } from 'vitest';
import { rowKey } from '../../delta/row-key';
import { HLC } from '../../hlc/hlc';
import { unwrapOrThrow } from '../../result/result';
import { rowVersionMax } from '../row-version';
import { skewedWorld, T } from './skewed-world';

/**
 * Writes follow reads (issue 9, ADR-013): a write must beat every version its writer's replica
 * already showed for the row, whatever the clock skew between writer, gateway and earlier writers
 * (within the 5 s drift bound). Each client has its own manual clock, offset from the gateway's.
 */

describe('writes follow reads across skewed clocks', () => {
  it('keeps Bob’s edit when Alice (T+3 s) wrote first and Bob (T−3 s) saw it (the issue’s scenario)', async () => {
    const w = await skewedWorld({ alice: 3_000, bob: -3_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'X' }));
    unwrapOrThrow(await alice.syncOnce());
    w.tick(10);
    unwrapOrThrow(await bob.syncOnce());
    expect(bob.get('todos', 't1')).toEqual({ title: 'X' });
    const written = unwrapOrThrow(await bob.update('todos', 't1', { title: 'Y' }));
    expect(written).not.toBeNull();
    expect(bob.get('todos', 't1')).toEqual({ title: 'Y' });
    w.tick(10);
    await w.syncAll();
    expect(alice.get('todos', 't1')).toEqual({ title: 'Y' });
    expect(bob.get('todos', 't1')).toEqual({ title: 'Y' });
    expect(w.gateway.stats().pushesRejected).toBe(0);
  });

  it('keeps the slow writer’s edit at the very edge of the drift bound (Alice at T+5 s, Bob at T−5 s)', async () => {
    const w = await skewedWorld({ alice: 5_000, bob: -5_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'X', done: false }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    unwrapOrThrow(await bob.update('todos', 't1', { done: true }));
    // The gateway accepts Bob's stamp: it is above Alice's, which the gateway bounded itself.
    await w.syncAll();
    expect(w.gateway.stats().pushesRejected).toBe(0);
    expect(alice.get('todos', 't1')).toEqual({ title: 'X', done: true });
  });

  it('keeps the fast writer’s edit when the skew is the other way round', async () => {
    const w = await skewedWorld({ alice: -3_000, bob: 3_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'X' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    unwrapOrThrow(await bob.update('todos', 't1', { title: 'Y' }));
    await w.syncAll();
    expect(alice.get('todos', 't1')).toEqual({ title: 'Y' });
  });

  it('deletes a row that a faster client wrote', async () => {
    const w = await skewedWorld({ alice: 4_000, bob: -4_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'X' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    const deleted = unwrapOrThrow(await bob.delete('todos', 't1'));
    expect(deleted).not.toBeNull();
    expect(bob.get('todos', 't1')).toBeNull();
    await w.syncAll();
    expect(alice.get('todos', 't1')).toBeNull();
    expect(bob.get('todos', 't1')).toBeNull();
  });

  it('resurrects a row after seeing a faster client’s delete', async () => {
    const w = await skewedWorld({ alice: 4_000, bob: -4_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await bob.insert('todos', 't1', { title: 'X' }));
    await w.syncAll();
    unwrapOrThrow(await alice.delete('todos', 't1'));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    expect(bob.get('todos', 't1')).toBeNull();
    unwrapOrThrow(await bob.insert('todos', 't1', { title: 'again' }));
    expect(bob.get('todos', 't1')).toEqual({ title: 'again' });
    await w.syncAll();
    expect(alice.get('todos', 't1')).toEqual({ title: 'again' });
  });

  it('stamps above the row it overwrites even when nothing was absorbed from the gateway', async () => {
    // A snapshot row or an outbox row merged at open is covered by stamping above the row itself.
    const w = await skewedWorld({ alice: 4_000, bob: -4_000 });
    const alice = w.get('alice');
    const bob = w.get('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'X' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    const state = bob.replica().get(rowKey('todos', 't1'));
    expect(state).toBeDefined();
    const seen = rowVersionMax(state ?? null);
    const delta = unwrapOrThrow(await bob.update('todos', 't1', { title: 'Y' }));
    expect(delta?.hlc).toBeGreaterThan(seen);
    expect(HLC.decode(delta?.hlc ?? HLC.ZERO).wall).toBeLessThanOrEqual(T + 4_000);
  });
});
