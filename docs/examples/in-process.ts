import {
  createInProcessTransport,
  createWireHandler,
  MemoryAdapter,
  MemoryQueue,
  SyncClient,
  SyncGateway,
  systemClock,
  systemTimers,
  unwrapOrThrow,
} from '../../src/index';

// A gateway over an in-memory lake (use S3Adapter for S3 or MinIO).
const lake = new MemoryAdapter({ clock: systemClock });
const gateway = unwrapOrThrow(
  await SyncGateway.open({
    gatewayId: 'gw-1',
    clock: systemClock,
    timers: systemTimers,
    adapter: lake,
  }),
);
const transport = createInProcessTransport(createWireHandler(gateway));

// Two clients, each with its own outbox (use IdbQueue in a browser).
const open = (clientId: string) =>
  SyncClient.open({
    clientId,
    clock: systemClock,
    timers: systemTimers,
    transport,
    queue: new MemoryQueue(),
  });
const alice = unwrapOrThrow(await open('alice'));
const bob = unwrapOrThrow(await open('bob'));

// Alice writes locally (at once, offline or not), then syncs; Bob syncs and sees her row.
unwrapOrThrow(await alice.insert('todos', 'milk', { title: 'Buy milk', done: false }));
unwrapOrThrow(await alice.update('todos', 'milk', { done: true }));
unwrapOrThrow(await alice.syncOnce());
unwrapOrThrow(await bob.syncOnce());
console.log('bob sees', { ...bob.get('todos', 'milk') });

// Every API returns a Result: a bad write is an Err with a code, never a throw.
const refused = await bob.insert('todos', 'big', { count: 2 ** 53 });
if (!refused.ok) console.log(refused.error.code, '-', refused.error.message);

// The gateway batches flushes; ask for one now and list what reached the lake.
unwrapOrThrow(await gateway.flush());
const keys = unwrapOrThrow(await lake.listObjects('deltas/')).map((object) => object.key);
console.log('lake', keys);

alice.close();
bob.close();
gateway.close();
