import { Worker } from 'node:worker_threads';
import type { HttpTransport } from '../../src/client/http-transport';
import type { HLCTimestamp } from '../../src/hlc/types';
import { decodeSyncResponse, encodeSyncPull } from '../../src/proto/codec';

/** Every client's pushes, one client after another, with one request in flight in all. */
export async function pushOneAtATime(
  streams: ReadonlyMap<string, readonly Uint8Array[]>,
  transports: ReadonlyMap<string, HttpTransport>,
): Promise<number[]> {
  const accepted: number[] = [];
  for (const [clientId, own] of streams)
    accepted.push(await pushInOrder(transports.get(clientId)!, own));
  return accepted;
}

/** Sends one client's pushes in order, each after the previous reply; throws on any refusal. */
export async function pushInOrder(
  transport: HttpTransport,
  own: readonly Uint8Array[],
): Promise<number> {
  for (const bytes of own) {
    const reply = await transport.push(bytes);
    if (!reply.ok) throw new Error(`http-push: transport failed: ${reply.error.message}`);
    const response = decodeSyncResponse(reply.value);
    if (!response.ok || response.value.error !== null) {
      const why = response.ok ? response.value.error?.message : response.error.message;
      throw new Error(`http-push: a seeded push was refused: ${why}`);
    }
  }
  return own.length;
}

/** An empty first pull: it authenticates the client and opens its connection, untimed. */
export function warmUpPull(clientId: string): Uint8Array {
  const zero = 0n as HLCTimestamp;
  return encodeSyncPull({
    clientId,
    sinceHlc: zero,
    maxDeltas: 1,
    gatewayEpoch: zero,
    snapshotOffset: 0,
  });
}

/** One client's stream for the worker: its bearer token and its encoded pushes, in order. */
export interface ClientStream {
  readonly token: string;
  /** An encoded pull sent before the session (untimed): verifies the token, opens the connection. */
  readonly warmUp: Uint8Array;
  readonly pushes: readonly Uint8Array[];
}

/**
 * The load generator's code, plain JavaScript so that a worker runs it on Node and Bun alike with
 * no TypeScript loader. Every client at once, one request in flight each, its pushes in order;
 * `node:http` with a keep-alive agent under Node, the runtime's fetch under Bun (the cheaper
 * client on each). A reply other than 200 protobuf fails the session; the main thread checks
 * that every delta reached the gateway's log.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
const onBun = typeof globalThis.Bun !== 'undefined';
let job = null;
function post(url, token, body) {
  const headers = { 'content-type': 'application/x-protobuf', authorization: 'Bearer ' + token };
  if (onBun) {
    return fetch(url, { method: 'POST', headers, body }).then(async (reply) => {
      await reply.arrayBuffer();
      if (reply.status !== 200) throw new Error('HTTP ' + reply.status);
    });
  }
  headers['content-length'] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method: 'POST', agent, headers }, (incoming) => {
      incoming.on('data', () => undefined);
      incoming.on('error', reject);
      incoming.on('end', () =>
        incoming.statusCode === 200 ? resolve() : reject(new Error('HTTP ' + incoming.statusCode)));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
async function client(url, stream) {
  for (const body of stream.pushes) await post(url, stream.token, body);
}
parentPort.on('message', (message) => {
  if (message.kind === 'load') {
    job = message;
    const pull = job.url + '/v1/sync/pull';
    Promise.all(job.streams.map((stream) => post(pull, stream.token, stream.warmUp))).then(
      () => parentPort.postMessage({ kind: 'loaded' }),
      (caught) => parentPort.postMessage({ kind: 'failed', message: String(caught) }),
    );
  } else if (message.kind === 'go') {
    const url = job.url + '/v1/sync/push';
    Promise.all(job.streams.map((stream) => client(url, stream))).then(
      () => parentPort.postMessage({ kind: 'done' }),
      (caught) => parentPort.postMessage({ kind: 'failed', message: String(caught) }),
    );
  } else if (message.kind === 'stop') {
    agent.destroy();
    parentPort.close();
  }
});
`;

type WorkerReply = { kind: 'loaded' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** Clients in a worker thread, so the gateway's thread does only the server's work. */
export class WorkerLoad {
  readonly #worker = new Worker(WORKER_SOURCE, { eval: true });

  /** Hands the worker a session's server URL and streams, and waits for its warm-up pulls (untimed). */
  load(url: string, streams: readonly ClientStream[]): Promise<void> {
    return this.#ask({ kind: 'load', url, streams }, 'loaded');
  }

  /** Runs the loaded session: resolves once every push was answered with 200. */
  go(): Promise<void> {
    return this.#ask({ kind: 'go' }, 'done');
  }

  async stop(): Promise<void> {
    this.#worker.postMessage({ kind: 'stop' });
    await this.#worker.terminate();
  }

  #ask(message: object, expected: 'loaded' | 'done'): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#worker.once('error', onError);
      this.#worker.once('message', (reply: WorkerReply) => {
        this.#worker.off('error', onError);
        if (reply.kind === expected) resolve();
        else
          reject(
            new Error(`http-push worker: ${reply.kind === 'failed' ? reply.message : reply.kind}`),
          );
      });
      this.#worker.postMessage(message);
    });
  }
}
