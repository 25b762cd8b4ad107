import { describe, expect, it } from 'vitest';
import { ManualClock, ManualTimers } from '../../ports/manual';
import { type FetchLike, HttpTransport } from '../http-transport';

/** The transport against a scripted `fetch`: headers, statuses, failures and the timeout. */
function scripted(answer: (url: string, init: RequestInit) => Promise<Response>) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    return answer(url, init);
  };
  return { clock, timers, calls, fetch };
}

const protobuf = (bytes: number[], status = 200) =>
  new Response(new Uint8Array(bytes), {
    status,
    headers: { 'content-type': 'application/x-protobuf' },
  });

describe('HttpTransport', () => {
  it('POSTs protobuf to /v1/sync/<kind> with the bearer token and returns the reply bytes', async () => {
    const world = scripted(async () => protobuf([1, 2, 3]));
    const transport = new HttpTransport({
      baseUrl: 'http://gateway.test/',
      timers: world.timers,
      fetch: world.fetch,
      token: async () => 'tok',
    });
    const reply = await transport.push(new Uint8Array([9]));
    expect(reply.ok && [...reply.value]).toEqual([1, 2, 3]);
    const call = world.calls[0]!;
    expect(call.url).toBe('http://gateway.test/v1/sync/push');
    expect(call.init.method).toBe('POST');
    expect(call.init.headers).toEqual({
      'content-type': 'application/x-protobuf',
      authorization: 'Bearer tok',
    });
    await transport.pull(new Uint8Array([9]));
    expect(world.calls[1]!.url).toBe('http://gateway.test/v1/sync/pull');
    expect(world.timers.size).toBe(0); // every timeout timer is cancelled
  });

  it('hands back a refusal body (any status) as Ok, so the client reads its ErrorReply', async () => {
    const world = scripted(async () => protobuf([7], 403));
    const transport = new HttpTransport({
      baseUrl: () => 'http://x',
      timers: world.timers,
      fetch: world.fetch,
    });
    const reply = await transport.pull(new Uint8Array());
    expect(reply.ok && [...reply.value]).toEqual([7]);
    expect(world.calls[0]!.init.headers).toEqual({ 'content-type': 'application/x-protobuf' });
  });

  it('a reply that is not protobuf (a proxy error page) is a TransportError', async () => {
    const world = scripted(
      async () =>
        new Response('<html>bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const transport = new HttpTransport({
      baseUrl: 'http://x',
      timers: world.timers,
      fetch: world.fetch,
    });
    const reply = await transport.push(new Uint8Array());
    expect(!reply.ok && reply.error.code).toBe('TRANSPORT_ERROR');
    expect(!reply.ok && reply.error.message).toContain('HTTP 502');
  });

  it('a rejected fetch, a throwing token provider and a throwing baseUrl are Errs, never throws', async () => {
    const world = scripted(async () => {
      throw new TypeError('fetch failed: ECONNREFUSED');
    });
    const refused = await new HttpTransport({
      baseUrl: 'http://x',
      timers: world.timers,
      fetch: world.fetch,
    }).push(new Uint8Array());
    expect(!refused.ok && refused.error.message).toContain('ECONNREFUSED');
    const badToken = await new HttpTransport({
      baseUrl: 'http://x',
      timers: world.timers,
      fetch: world.fetch,
      token: () => {
        throw new Error('no session');
      },
    }).push(new Uint8Array());
    expect(!badToken.ok && badToken.error.message).toContain('no session');
    const badUrl = await new HttpTransport({
      baseUrl: () => {
        throw new Error('not configured');
      },
      timers: world.timers,
      fetch: world.fetch,
    }).pull(new Uint8Array());
    expect(!badUrl.ok && badUrl.error.code).toBe('TRANSPORT_ERROR');
    expect(world.calls).toHaveLength(1);
  });

  it('times out through the Timers port: the fetch is aborted and the error says so', async () => {
    const world = scripted(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError')),
          );
        }),
    );
    const transport = new HttpTransport({
      baseUrl: 'http://x',
      timers: world.timers,
      fetch: world.fetch,
      timeoutMs: 500,
    });
    const pending = transport.push(new Uint8Array());
    await world.timers.advance(499);
    expect(world.calls[0]!.init.signal?.aborted).toBe(false);
    await world.timers.advance(1);
    const reply = await pending;
    expect(!reply.ok && reply.error.message).toContain('timed out after 500 ms');
  });

  it('refuses a reply declared over the size limit without reading it', async () => {
    const world = scripted(
      async () =>
        new Response(new Uint8Array(1), {
          headers: {
            'content-type': 'application/x-protobuf',
            'content-length': String(64 * 1024 * 1024),
          },
        }),
    );
    const transport = new HttpTransport({
      baseUrl: 'http://x',
      timers: world.timers,
      fetch: world.fetch,
    });
    const reply = await transport.pull(new Uint8Array());
    expect(!reply.ok && reply.error.message).toContain('over');
  });
});
