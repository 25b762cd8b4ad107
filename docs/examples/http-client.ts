import {
  HttpTransport,
  MemoryQueue,
  SyncClient,
  systemClock,
  systemTimers,
  unwrapOrThrow,
} from '../../src/index';

/**
 * One client of a running gateway server (`npm run gateway -- --no-auth`):
 *
 *   npx tsx docs/examples/http-client.ts http://127.0.0.1:8787
 *
 * Writes a row, syncs it, and prints what the gateway reported. With auth on, pass a token
 * provider: `token: () => myJwt` (its `sub` claim must be the client id).
 */
const baseUrl = process.argv[2] ?? 'http://127.0.0.1:8787';
const transport = new HttpTransport({ baseUrl, timers: systemTimers });
const client = unwrapOrThrow(
  await SyncClient.open({
    clientId: `example-${process.pid}`,
    clock: systemClock,
    timers: systemTimers,
    transport,
    queue: new MemoryQueue(),
  }),
);
unwrapOrThrow(await client.insert('todos', 'hello', { title: 'Hello over HTTP', done: false }));
const round = await client.syncOnce();
if (!round.ok) {
  console.error(`sync failed: ${round.error.code}: ${round.error.message}`);
  process.exit(1);
}
console.log(
  `pushed ${round.value.pushed}, pulled ${round.value.pulled}, outbox ${round.value.outboxDepth}`,
);
client.close();
