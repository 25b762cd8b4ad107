import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { decodeSyncPush } from '../../src/proto/codec';
import { consume } from '../lib/measure';
import { median } from '../lib/stats';

/**
 * What the HTTP rows cannot go below on this machine, measured in their process: a bare
 * request/reply (the runtime's own server answering four bytes, the runtime's cheapest client,
 * keep-alive, one request in flight) and decoding the same pushes. Neither is LakeSync's server
 * code, so together with the in-process work they estimate the best ratio a server could reach.
 */
export interface HttpFloor {
  /** Median µs per bare request/reply carrying one of the pushes. */
  readonly exchangeUs: number;
  /** Median ns per delta to decode the pushes (`decodeSyncPush`). */
  readonly decodeNsPerDelta: number;
}

/** Times `rounds` passes of bare exchanges and of decoding over `encoded`; medians of the passes. */
export async function measureHttpFloor(
  encoded: readonly Uint8Array[],
  deltaCount: number,
  rounds: number,
): Promise<HttpFloor> {
  const server = await bareServer();
  const post = bareClient(server.url);
  const exchangeSamples: number[] = [];
  const decodeSamples: number[] = [];
  try {
    for (const bytes of encoded) await post(bytes); // warm-up: connection open, code compiled
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      for (const bytes of encoded) await post(bytes);
      exchangeSamples.push(((performance.now() - started) * 1e3) / encoded.length);
      const decodeStarted = performance.now();
      let decoded = 0;
      for (const bytes of encoded) {
        const push = decodeSyncPush(bytes);
        if (push.ok) decoded += push.value.deltas.length;
      }
      decodeSamples.push(((performance.now() - decodeStarted) * 1e6) / deltaCount);
      consume(decoded);
    }
  } finally {
    post.close();
    await server.close();
  }
  return { exchangeUs: median(exchangeSamples), decodeNsPerDelta: median(decodeSamples) };
}

/**
 * An estimate of the ratio to in-process `handlePush` that a server adding nothing of its own
 * would reach with client and server on one thread, one bare exchange per push: the in-process
 * work ÷ (that work + decoding + a bare exchange), per delta. Not a strict bound: requests in
 * flight together share system calls, and another client may cost less than the bare one.
 */
export function ratioCeiling(floor: HttpFloor, inProcessNsPerDelta: number, batch: number): number {
  const exchangeNsPerDelta = (floor.exchangeUs * 1e3) / batch;
  return inProcessNsPerDelta / (inProcessNsPerDelta + floor.decodeNsPerDelta + exchangeNsPerDelta);
}

interface BareServer {
  readonly url: string;
  close(): Promise<void>;
}

const REPLY = new Uint8Array([8, 1, 16, 1]);

interface BunServe {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number; stop(force?: boolean): Promise<void> | void };
}

/** `Bun.serve` under Bun, `node:http` under Node: each runtime's own server, with no framework. */
async function bareServer(): Promise<BareServer> {
  const bun = (globalThis as { Bun?: BunServe }).Bun;
  if (bun !== undefined) {
    const served = bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (incoming) => {
        await incoming.arrayBuffer();
        return new Response(REPLY, { headers: { 'content-type': 'application/x-protobuf' } });
      },
    });
    return {
      url: `http://127.0.0.1:${served.port}/`,
      close: async () => {
        await served.stop(true);
      },
    };
  }
  const server = createServer((incoming, outgoing) => {
    incoming.on('data', () => undefined);
    incoming.on('end', () => {
      outgoing.writeHead(200, {
        'content-type': 'application/x-protobuf',
        'content-length': String(REPLY.byteLength),
      });
      outgoing.end(REPLY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The runtime's cheapest client, as the worker load uses: fetch under Bun, `node:http` under Node. */
function bareClient(url: string): ((body: Uint8Array) => Promise<void>) & { close(): void } {
  const onBun = (globalThis as { Bun?: unknown }).Bun !== undefined;
  const agent = new Agent({ keepAlive: true });
  const headers = { 'content-type': 'application/x-protobuf', authorization: 'Bearer bench' };
  const post = (body: Uint8Array): Promise<void> => {
    if (onBun) {
      return fetch(url, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> }).then(
        async (reply) => {
          await reply.arrayBuffer();
        },
      );
    }
    return new Promise<void>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.byteLength) },
        },
        (incoming) => {
          incoming.on('data', () => undefined);
          incoming.on('error', reject);
          incoming.on('end', () => resolve());
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
  return Object.assign(post, { close: () => agent.destroy() });
}
