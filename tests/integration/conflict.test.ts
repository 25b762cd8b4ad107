import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../sim/lake/embedded-s3';
import { unwrapOrThrow } from '../../src/result/result';
import { plain, SyncWorld, startEmbeddedS3 } from './helpers';

let s3: EmbeddedS3;
beforeAll(async () => {
  s3 = unwrapOrThrow(await startEmbeddedS3());
});
afterAll(async () => {
  await s3?.stop();
});

describe('conflicts', () => {
  it('3. two clients writing the same column converge on the later write everywhere', async () => {
    const world = await SyncWorld.create(s3);
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'first' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    unwrapOrThrow(await alice.update('todos', 't1', { title: 'alice' }));
    world.clock.advance(5);
    unwrapOrThrow(await bob.update('todos', 't1', { title: 'bob' }));
    // Bob's later write is pushed first; order must not matter.
    for (const client of [bob, alice, bob, alice]) unwrapOrThrow(await client.syncOnce());
    expect(alice.get('todos', 't1')).toEqual({ title: 'bob' });
    expect(bob.get('todos', 't1')).toEqual({ title: 'bob' });
    unwrapOrThrow(await world.gateway.flush());
    expect(plain(await world.lakeRows())).toEqual(plain(alice.rows()));
  });

  it('a delete newer than an update wins; an update newer than the delete resurrects its columns', async () => {
    const world = await SyncWorld.create(s3);
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'x', done: false }));
    for (const client of [alice, bob]) unwrapOrThrow(await client.syncOnce());
    unwrapOrThrow(await alice.update('todos', 't1', { title: 'edited' }));
    world.clock.advance(5);
    unwrapOrThrow(await bob.delete('todos', 't1'));
    for (const client of [alice, bob, alice]) unwrapOrThrow(await client.syncOnce());
    expect(alice.get('todos', 't1')).toBeNull();
    world.clock.advance(5);
    unwrapOrThrow(await alice.insert('todos', 't1', { done: true }));
    for (const client of [alice, bob]) unwrapOrThrow(await client.syncOnce());
    expect(bob.get('todos', 't1')).toEqual({ done: true });
  });
});
