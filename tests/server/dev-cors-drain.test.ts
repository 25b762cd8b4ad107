import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../server/app';
import { ServerMetrics } from '../../server/metrics';
import type { GatewayServer } from '../../server/start';
import { MemoryAdapter } from '../../src/adapter/memory-adapter';
import { SyncGateway } from '../../src/gateway/gateway';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { decodeSyncResponse } from '../../src/proto/codec';
import { unwrapOrThrow } from '../../src/result/result';
import { post, pullBytes, pushBytes, testServer, writer } from './helpers';

let running: GatewayServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close({ flush: false })));
  running = [];
});

describe('development routes', () => {
  it('are absent unless devTokens is on', async () => {
    const { server } = await testServer();
    running.push(server);
    expect((await fetch(`${server.url}/v1/dev/token`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/v1/dev/flush`, { method: 'POST' })).status).toBe(404);
  });

  it('hand out tokens the sync routes accept, for a named or a generated clientId', async () => {
    const { server, clock } = await testServer({ devTokens: true });
    running.push(server);
    const named = await fetch(`${server.url}/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'alice' }),
    });
    const alice = (await named.json()) as { clientId: string; token: string };
    expect(alice.clientId).toBe('alice');
    const write = writer('alice', clock);
    const pushed = await post(
      server.url,
      '/v1/sync/push',
      pushBytes('alice', [write('t1', { a: 1 })]),
      {
        authorization: `Bearer ${alice.token}`,
      },
    );
    expect(pushed.status).toBe(200);
    const generated = (await (
      await fetch(`${server.url}/v1/dev/token`, { method: 'POST' })
    ).json()) as {
      clientId: string;
      token: string;
    };
    expect(generated.clientId).toMatch(/^web-[0-9a-f]{8}$/);
    const asOther = await post(server.url, '/v1/sync/pull', pullBytes('alice'), {
      authorization: `Bearer ${generated.token}`,
    });
    expect(asOther.status).toBe(403);
    const bad = await fetch(`${server.url}/v1/dev/token?clientId=${encodeURIComponent('a/b')}`, {
      method: 'POST',
    });
    expect(bad.status).toBe(400);
    const flushed = (await (
      await fetch(`${server.url}/v1/dev/flush`, { method: 'POST' })
    ).json()) as {
      ok: boolean;
      durableHlc: string;
    };
    expect(flushed.ok).toBe(true);
    expect(BigInt(flushed.durableHlc)).toBeGreaterThan(0n);
    expect(server.gateway.stats().unflushedDeltas).toBe(0);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin and says nothing to another', async () => {
    const { server } = await testServer({ corsOrigin: 'http://localhost:5173' });
    running.push(server);
    const preflight = (origin: string) =>
      fetch(`${server.url}/v1/sync/push`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const other = await preflight('http://evil.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('shutting down', () => {
  it('refuses sync requests with 503 GATEWAY_CLOSED and Retry-After while draining', async () => {
    const clock = new ManualClock();
    const gateway = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: 'gw',
        clock,
        timers: new ManualTimers(clock),
        adapter: new MemoryAdapter({ clock }),
      }),
    );
    const app = createGatewayApp({
      gateway,
      verifier: null,
      metrics: new ServerMetrics(),
      bodyBytesMax: 1_024,
      retryAfterSeconds: 2,
      isDraining: () => true,
      corsOrigins: null,
      dev: null,
    });
    const response = await app.request('/v1/sync/pull', {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: pullBytes('alice') as Uint8Array<ArrayBuffer>,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    const reply = unwrapOrThrow(decodeSyncResponse(new Uint8Array(await response.arrayBuffer())));
    expect(reply.error?.code).toBe('GATEWAY_CLOSED');
    const health = await app.request('/healthz');
    expect([health.status, ((await health.json()) as { ok: boolean }).ok]).toEqual([503, false]);
    gateway.close();
  });

  it('close() flushes what was accepted unless told it is a crash', async () => {
    const { server, clock } = await testServer();
    const write = writer('alice', clock);
    const token = await server.issueToken('alice');
    await post(server.url, '/v1/sync/push', pushBytes('alice', [write('t1', { a: 1 })]), {
      authorization: `Bearer ${token}`,
    });
    expect(server.gateway.stats().unflushedDeltas).toBe(1);
    await server.close();
    expect(server.gateway.stats().unflushedDeltas).toBe(0);
    expect(server.gateway.stats().flushesOk).toBe(1);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
