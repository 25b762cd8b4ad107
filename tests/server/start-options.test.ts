import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from '../../server/lake/embedded-s3';
import { startGatewayServer } from '../../server/start';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { unwrapOrThrow } from '../../src/result/result';
import { post, pushBytes, TEST_SECRET, testServer, writer } from './helpers';

/** `startGatewayServer` over an external S3 store, and every way it refuses to start. */
let s3: EmbeddedS3;
let directory = '';
beforeAll(async () => {
  s3 = unwrapOrThrow(await startEmbeddedS3());
  directory = await mkdtemp(join(tmpdir(), 'lakesync-start-'));
});
afterAll(async () => {
  await s3?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('startGatewayServer', () => {
  it('over an S3 endpoint: close() flushes, and a new server on the same bucket recovers', async () => {
    const clock = new ManualClock();
    const timers = new ManualTimers(clock);
    const options = {
      auth: { kind: 'jwt', secret: TEST_SECRET },
      port: 0,
      lake: { kind: 's3', config: s3.config },
      gatewayId: 'gw-s3',
      clock,
      timers,
    } as const;
    const first = unwrapOrThrow(await startGatewayServer(options));
    const delta = writer('alice', clock)('t1', { title: 'kept' });
    const token = await first.issueToken('alice');
    const pushed = await post(first.url, '/v1/sync/push', pushBytes('alice', [delta]), {
      authorization: `Bearer ${token}`,
    });
    expect(pushed.status).toBe(200);
    await first.close();
    const second = unwrapOrThrow(await startGatewayServer(options));
    expect(second.gateway.stats().recoveredDeltas).toBe(1);
    expect([...second.gateway.index().keys()]).toEqual(['todos:t1']);
    await second.close();
  });

  it('refuses, as an Err and with nothing left running, a short secret, a bad port, a busy port and an unusable lake directory', async () => {
    const short = await startGatewayServer({ auth: { kind: 'jwt', secret: 'short' }, port: 0 });
    expect(!short.ok && short.error.message).toContain('32');
    const badPort = await startGatewayServer({ auth: { kind: 'none' }, port: 70_000 });
    expect(badPort.ok).toBe(false);
    const { server } = await testServer();
    const busy = await startGatewayServer({
      auth: { kind: 'none' },
      port: server.port,
      lake: { kind: 's3', config: s3.config },
      gatewayId: 'gw-busy',
    });
    expect(!busy.ok && busy.error.code).toBe('LISTEN_FAILED');
    await server.close({ flush: false });
    const file = join(directory, 'not-a-directory');
    await writeFile(file, 'x');
    const unusable = await startGatewayServer({
      auth: { kind: 'none' },
      port: 0,
      lake: { kind: 'embedded', directory: join(file, 'lake') },
    });
    expect(!unusable.ok && unusable.error.code).toBe('ADAPTER_ERROR');
  });
});
