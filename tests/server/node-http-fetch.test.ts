import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../server/node-http-fetch';
import type { GatewayServer } from '../../server/start';
import { HttpTransport } from '../../src/client/http-transport';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { decodeSyncResponse } from '../../src/proto/codec';
import { pushBytes, testServer, writer } from './helpers';

/** `nodeHttpFetch` under `HttpTransport`, against the real gateway server and a silent one. */
let running: GatewayServer[] = [];
let raw: Server[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close({ flush: false })));
  for (const server of raw) server.closeAllConnections();
  await Promise.all(raw.map((server) => new Promise((resolve) => server.close(resolve))));
  running = [];
  raw = [];
});

async function silentServer(reply: Uint8Array | null): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    if (reply !== null) {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end(reply);
    }
  });
  raw.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('nodeHttpFetch', () => {
  it('pushes through the gateway with a token, and gets a refusal for a foreign clientId as Ok bytes', async () => {
    const { server, clock, timers } = await testServer();
    running.push(server);
    const token = await server.issueToken('alice');
    const transport = new HttpTransport({
      baseUrl: server.url,
      timers,
      token: () => token,
      fetch: nodeHttpFetch(),
    });
    const write = writer('alice', clock);
    const accepted = await transport.push(pushBytes('alice', [write('t1', { title: 'a' })]));
    const acceptedReply = accepted.ok ? decodeSyncResponse(accepted.value) : null;
    expect(acceptedReply?.ok && acceptedReply.value.error).toBeNull();
    expect(server.gateway.stats().logLength).toBe(1);

    const bobWrites = writer('bob', clock);
    const foreign = await transport.push(pushBytes('bob', [bobWrites('t2', { title: 'b' })]));
    const foreignReply = foreign.ok ? decodeSyncResponse(foreign.value) : null;
    expect(foreignReply?.ok && foreignReply.value.error?.code).toBe('FORBIDDEN');
    expect(server.gateway.stats().logLength).toBe(1);
  });

  it('is aborted by the transport timeout (Timers port) when the server never answers', async () => {
    const timers = new ManualTimers(new ManualClock());
    const url = await silentServer(null);
    const transport = new HttpTransport({
      baseUrl: url,
      timers,
      timeoutMs: 500,
      fetch: nodeHttpFetch(),
    });
    const pending = transport.push(new Uint8Array([1, 2, 3]));
    await timers.advance(500);
    const reply = await pending;
    expect(!reply.ok && reply.error.message).toContain('timed out after 500 ms');
  });

  it('rejects a reply over its byte limit, which the transport reports as an Err', async () => {
    const timers = new ManualTimers(new ManualClock());
    const url = await silentServer(new Uint8Array(64));
    const transport = new HttpTransport({
      baseUrl: url,
      timers,
      fetch: nodeHttpFetch({ replyBytesMax: 16 }),
    });
    const reply = await transport.pull(new Uint8Array([1]));
    expect(!reply.ok && reply.error.message).toContain('reply over 16 bytes');
  });

  it('resolves to a reply with the body read whole: exact bytes from many chunks, headers by any case, one read', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/x-protobuf', 'x-seen': ['a', 'b'] });
      // Several socket writes, so the client sees more than one chunk.
      response.write(new Uint8Array([1, 2]));
      setImmediate(() => response.end(new Uint8Array([3, 4, 5])));
    });
    raw.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const reply = await nodeHttpFetch()(url, { method: 'POST', body: new Uint8Array([9]) });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('Content-Type')).toBe('application/x-protobuf');
    expect(reply.headers.get('x-seen')).toBe('a, b');
    expect(reply.headers.get('x-absent')).toBeNull();
    expect([...new Uint8Array(await reply.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
    await expect(reply.arrayBuffer()).rejects.toThrow('already read');
  });

  it('gives a 204 reply an empty body, as a Response has', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(204);
      response.end();
    });
    raw.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const reply = await nodeHttpFetch()(url, { method: 'GET' });
    expect(reply.status).toBe(204);
    expect((await reply.arrayBuffer()).byteLength).toBe(0);
  });
});
