import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayServer } from '../../server/start';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import { ManualClock } from '../../src/ports/manual';
import { post, pullBytes, pushBytes, refusingLake, testServer, writer } from './helpers';

/** Every refusal of the HTTP surface, over real HTTP on loopback, each with its ErrorReply. */
let running: GatewayServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close({ flush: false })));
  running = [];
});

async function started(overrides: Parameters<typeof testServer>[0] = {}) {
  const world = await testServer(overrides);
  running.push(world.server);
  const bearer = async (clientId: string) => ({
    authorization: `Bearer ${await world.server.issueToken(clientId)}`,
  });
  return { ...world, bearer };
}

describe('gateway server refusals', () => {
  it('accepts a push and a pull with a valid token, and counts them in /metrics', async () => {
    const { server, clock, bearer } = await started();
    const write = writer('alice', clock);
    const pushed = await post(
      server.url,
      '/v1/sync/push',
      pushBytes('alice', [write('t1', { title: 'a' })]),
      await bearer('alice'),
    );
    expect(pushed.status).toBe(200);
    expect(pushed.reply.error).toBeNull();
    expect(pushed.reply.clientAcceptedHlc).toBeGreaterThan(0n);
    const pulled = await post(server.url, '/v1/sync/pull', pullBytes('bob'), await bearer('bob'));
    expect(pulled.status).toBe(200);
    expect(pulled.reply.deltas.map((delta) => delta.rowId)).toEqual(['t1']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('lakesync_pushes_total 1');
    expect(metrics).toContain('lakesync_pulls_total 1');
    expect(metrics).toMatch(/lakesync_buffer_bytes [1-9]\d*/);
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, gatewayId: 'gateway' });
  });

  it('401 without a token, with a bad one, with a forged one and after exp', async () => {
    const { server, clock } = await started();
    const body = pullBytes('alice');
    expect((await post(server.url, '/v1/sync/pull', body)).reply.error?.code).toBe(
      'UNAUTHENTICATED',
    );
    const garbage = await post(server.url, '/v1/sync/pull', body, {
      authorization: 'Bearer not.a.jwt',
    });
    expect(garbage.status).toBe(401);
    expect(garbage.reply.error?.code).toBe('UNAUTHENTICATED');
    const other = await testServer({
      auth: { kind: 'jwt', secret: 'another-secret-of-at-least-32-characters' },
    });
    running.push(other.server);
    const forged = await post(server.url, '/v1/sync/pull', body, {
      authorization: `Bearer ${await other.server.issueToken('alice')}`,
    });
    expect(forged.status).toBe(401);
    const expiring = await server.issueToken('alice', { expiresInSeconds: 60 });
    const fresh = await post(server.url, '/v1/sync/pull', body, {
      authorization: `Bearer ${expiring}`,
    });
    expect(fresh.status).toBe(200);
    clock.advance(61_000);
    const expired = await post(server.url, '/v1/sync/pull', body, {
      authorization: `Bearer ${expiring}`,
    });
    expect(expired.status).toBe(401);
    expect(expired.reply.error?.message).toContain('expired');
  });

  it('403 when the push or pull names a clientId other than the token subject', async () => {
    const { server, clock, bearer } = await started();
    const write = writer('alice', clock);
    const pushAsAlice = pushBytes('alice', [write('t1', { title: 'a' })]);
    const push = await post(server.url, '/v1/sync/push', pushAsAlice, await bearer('mallory'));
    expect(push.status).toBe(403);
    expect(push.reply.error?.code).toBe('FORBIDDEN');
    expect(server.gateway.log()).toHaveLength(0);
    const pull = await post(
      server.url,
      '/v1/sync/pull',
      pullBytes('alice'),
      await bearer('mallory'),
    );
    expect(pull.status).toBe(403);
  });

  it('413 over the body limit, declared or chunked, before anything is decoded', async () => {
    const { server, bearer } = await started({ bodyBytesMax: 1_024 });
    const big = new Uint8Array(4_096);
    const declared = await post(server.url, '/v1/sync/push', big, await bearer('alice'));
    expect(declared.status).toBe(413);
    expect(declared.reply.error?.code).toBe('PAYLOAD_TOO_LARGE');
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...(await bearer('alice')) },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('415 for a body that is not protobuf', async () => {
    const { server, bearer } = await started();
    const json = await post(server.url, '/v1/sync/push', '{"clientId":"alice"}', {
      ...(await bearer('alice')),
      'content-type': 'application/json',
    });
    expect(json.status).toBe(415);
    expect(json.reply.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('400 for undecodable bytes, and the server keeps serving', async () => {
    const { server, bearer } = await started();
    const junk = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    const bad = await post(server.url, '/v1/sync/push', junk, await bearer('alice'));
    expect(bad.status).toBe(400);
    expect(bad.reply.error?.code).toBe('CODEC_ERROR');
    const after = await post(
      server.url,
      '/v1/sync/pull',
      pullBytes('alice'),
      await bearer('alice'),
    );
    expect(after.status).toBe(200);
  });

  it('survives a client that hangs up mid-body or sends garbage, and keeps serving', async () => {
    const { server, bearer } = await started();
    const { host, port } = new URL(server.url);
    const hangUp = (payload: string) =>
      new Promise<void>((done) => {
        const socket = connect(Number(port), host, () => {
          socket.write(payload, () => socket.destroy());
        });
        socket.on('close', () => done());
        socket.on('error', () => done());
      });
    await hangUp(
      `POST /v1/sync/push HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\n0123456789`,
    );
    await hangUp('\x00\x01 this is not HTTP at all\r\n\r\n');
    const after = await post(
      server.url,
      '/v1/sync/pull',
      pullBytes('alice'),
      await bearer('alice'),
    );
    expect(after.status).toBe(200);
  });

  it('404 for an unknown route or method, with an ErrorReply', async () => {
    const { server } = await started();
    expect((await post(server.url, '/v1/sync/nothing', new Uint8Array())).status).toBe(404);
    const get = await fetch(`${server.url}/v1/sync/push`);
    expect(get.status).toBe(404);
    expect(get.headers.get('content-type')).toBe('application/x-protobuf');
    await get.arrayBuffer();
    expect((await fetch(`${server.url}/v1/dev/token`, { method: 'POST' })).status).toBe(404);
  });

  it('keeps the gateway codes: 422 drift and forged deltaId, 409 sequence gap', async () => {
    const { server, clock, bearer } = await started();
    const auth = await bearer('alice');
    const ahead = writer('alice', clock);
    clock.advance(60_000);
    const drifted = ahead('t0', { title: 'from the future' });
    clock.advance(-60_000);
    const drift = await post(server.url, '/v1/sync/push', pushBytes('alice', [drifted]), auth);
    expect([drift.status, drift.reply.error?.code]).toEqual([422, 'CLOCK_DRIFT']);
    const write = writer('alice', clock);
    const honest = write('t1', { title: 'a' });
    // A forged id is refused with SCHEMA_MISMATCH, at the push itself or (ids verified lazily,
    // ADR-016) at the pusher's next request; either way it never reaches the log.
    const carol = await bearer('carol');
    const carolsDelta = writer('carol', clock)('t9', { title: 'c' });
    const lastChar = carolsDelta.deltaId.endsWith('0') ? '1' : '0';
    const forgedDelta = {
      ...carolsDelta,
      deltaId: `${carolsDelta.deltaId.slice(0, -1)}${lastChar}`,
    };
    const forged = await post(
      server.url,
      '/v1/sync/push',
      pushBytes('carol', [forgedDelta]),
      carol,
    );
    const next = await post(server.url, '/v1/sync/pull', pullBytes('carol'), carol);
    const refusal = forged.reply.error !== null ? forged : next;
    expect([refusal.status, refusal.reply.error?.code]).toEqual([422, 'SCHEMA_MISMATCH']);
    expect(server.gateway.log().filter((entry) => entry.delta.clientId === 'carol')).toHaveLength(
      0,
    );
    const gap = await post(
      server.url,
      '/v1/sync/push',
      pushBytes('alice', [honest], honest.hlc - 1n),
      auth,
    );
    expect([gap.status, gap.reply.error?.code]).toEqual([409, 'SEQUENCE_GAP']);
    expect(server.gateway.log()).toHaveLength(0);
  });

  it('503 with Retry-After under backpressure (flushes failing)', async () => {
    const { server, clock, bearer } = await started({
      lake: {
        kind: 'adapter',
        adapter: refusingLake(new ManualClock()),
      },
      gatewayOptions: { bufferBytesMax: 600, flushBytesThreshold: 200 },
      retryAfterSeconds: 3,
    });
    const auth = await bearer('alice');
    const write = writer('alice', clock);
    let base: HLCTimestamp = HLC.ZERO;
    let refusal: { status: number; retryAfter: string | null; code: string | undefined } | null =
      null;
    for (let i = 0; i < 30 && refusal === null; i++) {
      const delta = write(`r${i}`, { title: 'x'.repeat(40) });
      const reply = await post(
        server.url,
        '/v1/sync/push',
        pushBytes('alice', [delta], base),
        auth,
      );
      if (reply.status === 200) base = delta.hlc;
      else
        refusal = {
          status: reply.status,
          retryAfter: reply.headers.get('retry-after'),
          code: reply.reply.error?.code,
        };
    }
    expect(refusal).toEqual({ status: 503, retryAfter: '3', code: 'BACKPRESSURE' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('lakesync_rejections_total{code="BACKPRESSURE"} 1');
    expect(metrics).toMatch(/lakesync_flushes_total\{outcome="failed"\} [1-9]/);
  });
});
