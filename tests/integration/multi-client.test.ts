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

describe('several clients', () => {
  it('2. two clients writing different columns of one row both keep their column', async () => {
    const world = await SyncWorld.create(s3);
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'draft', done: false }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    world.clock.advance(10);
    unwrapOrThrow(await alice.update('todos', 't1', { title: 'final' }));
    unwrapOrThrow(await bob.update('todos', 't1', { done: true }));
    for (const client of [alice, bob, alice]) unwrapOrThrow(await client.syncOnce());
    const expected = { 'todos:t1': { title: 'final', done: true } };
    expect(plain(alice.rows())).toEqual(expected);
    expect(plain(bob.rows())).toEqual(expected);
    unwrapOrThrow(await world.gateway.flush());
    expect(plain(await world.lakeRows())).toEqual(expected);
  });

  it('a client offline across two flushes converges when it returns', async () => {
    const world = await SyncWorld.create(s3, { logRetainMax: 2 });
    const alice = await world.client('alice');
    const offline = await world.client('offline');
    unwrapOrThrow(await offline.syncOnce());
    unwrapOrThrow(await offline.insert('todos', 'mine', { title: 'written offline' }));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++)
        unwrapOrThrow(await alice.insert('todos', `r${round}-${i}`, { n: i }));
      unwrapOrThrow(await alice.delete('todos', `r${round}-0`));
      unwrapOrThrow(await alice.syncOnce());
      unwrapOrThrow(await world.gateway.flush());
      world.clock.advance(60_000);
    }
    // The offline client's cursor is now older than the retained log: it gets a snapshot.
    const snapshotsBefore = world.gateway.stats().snapshotsServed;
    unwrapOrThrow(await offline.syncOnce());
    unwrapOrThrow(await alice.syncOnce());
    expect(world.gateway.stats().snapshotsServed).toBeGreaterThan(snapshotsBefore);
    expect(plain(offline.rows())).toEqual(plain(alice.rows()));
    expect(offline.rows().size).toBe(5);
  });

  it('a late delta with an old HLC reaches every client', async () => {
    const world = await SyncWorld.create(s3);
    const late = await world.client('late');
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    unwrapOrThrow(await late.insert('todos', 'old', { title: 'stamped long ago' }));
    world.clock.advance(120_000);
    unwrapOrThrow(await alice.insert('todos', 'new', { title: 'recent' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce()); // bob's cursor is now past anything stamped before
    unwrapOrThrow(await late.syncOnce()); // the partition heals
    unwrapOrThrow(await bob.syncOnce());
    unwrapOrThrow(await alice.syncOnce());
    expect(bob.get('todos', 'old')).toEqual({ title: 'stamped long ago' });
    expect(alice.get('todos', 'old')).toEqual({ title: 'stamped long ago' });
  });
});
