import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { nodeHttpFetch } from '../../server/node-http-fetch';
import { type GatewayServer, startGatewayServer } from '../../server/start';
import { MemoryAdapter } from '../../src/adapter/memory-adapter';
import { type FetchLike, HttpTransport } from '../../src/client/http-transport';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { decodeSyncPush, encodeSyncPush } from '../../src/proto/codec';
import type { SyncPush } from '../../src/proto/types';
import { generateDeltas, lastWallMs, toPushes, workload } from '../lib/inputs';
import { consume } from '../lib/measure';
import { atLeast, rateQuantity, rowFromQuantities } from '../lib/stats';
import type { Suite, SuiteContext } from '../lib/suite';
import { openBenchGateway } from './gateway-push';
import { measureHttpFloor, ratioCeiling } from './http-floor';
import { pushInOrder, pushOneAtATime, WorkerLoad, warmUpPull } from './http-push-clients';

const DELTAS_PER_SESSION = 5_000;
const DELTAS_PER_SESSION_QUICK = 400;
const PUSH_BATCH = 100;
/** Far above anything a session buffers, so no flush (by size or age) and no backpressure. */
const NEVER = 1e15;
const SECRET = 'bench-secret-of-at-least-32-characters!';

/**
 * `per-client`: every client at once, one request each; `one`: one request in flight in all; a
 * `WorkerLoad`: every client at once from a worker thread instead of the server's thread.
 */
type InFlight = 'per-client' | 'one' | WorkerLoad;

/** One side of the comparison: a fresh gateway per session, then every push once, timed. */
interface Side {
  readonly label: string;
  /** Opens a fresh gateway (untimed) and returns the timed session and its clean-up. */
  open(): Promise<{ session: () => Promise<number>; close: () => Promise<void> }>;
}

/**
 * Deltas per second through the gateway server over HTTP on loopback (encoded 100-delta pushes
 * POSTed with a bearer token, each client's in order; decoded, authenticated, checked for
 * identity, handled, answered with an encoded reply) against in-process `SyncGateway.handlePush`
 * of the same pushes already decoded. A delta counts once it is in the log (reading the log length
 * verifies the deferred ids). Five HTTP rows: `HttpTransport` over the runtime's fetch and over a
 * lean `node:http` fetch, each with the 8 clients at once (throughput) and with one request in
 * flight (latency-bound), all sharing this thread with the server; and the clients in a worker
 * thread, so this thread measures only the server. Over a `MemoryAdapter` with a manual clock and
 * flush thresholds so large that no flush runs; a fresh gateway per session.
 */
export const httpPushSuite: Suite = {
  id: 'http-push',
  title: 'Gateway server: pushes over HTTP vs in-process handlePush',
  async run(context) {
    const count = context.quick ? DELTAS_PER_SESSION_QUICK : DELTAS_PER_SESSION;
    const shape = workload({ seed: 'bench/http-push', count, rowsPerTable: Math.ceil(count / 30) });
    const pushes = toPushes(generateDeltas(shape), PUSH_BATCH);
    const decoded = pushes.map(redecode);
    const encoded = pushes.map(encodeSyncPush);
    const clockMs = lastWallMs(shape) + 1;
    const agent = new Agent({ keepAlive: true });
    const lean = nodeHttpFetch({ agent });
    const side = (label: string, fetch: FetchLike | undefined, inFlight: InFlight) =>
      httpSide(label, encoded, pushes, clockMs, fetch, inFlight);
    const http = side("HTTP push, runtime's fetch, 8 clients at once", undefined, 'per-client');
    const httpSerial = side("HTTP push, runtime's fetch, one request in flight", undefined, 'one');
    const leanConcurrent = side(
      'HTTP push, node:http client, 8 clients at once',
      lean,
      'per-client',
    );
    const leanSerial = side('HTTP push, node:http client, one request in flight', lean, 'one');
    const workerLoad = new WorkerLoad();
    const offThread = side('HTTP push, 8 clients in a worker thread', undefined, workerLoad);
    const inProcess = inProcessSide(decoded, clockMs);
    const sides = [http, httpSerial, leanConcurrent, leanSerial, offThread, inProcess];
    const samples = new Map<Side, number[]>(sides.map((side) => [side, []]));
    for (let round = 0; round < context.budget.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order)
        samples.get(side)!.push(...(await measureSide(side, count, context, round === 0)));
    }
    agent.destroy();
    await workerLoad.stop();
    const baseline = rateQuantity(inProcess.label, samples.get(inProcess)!);
    const floor = await measureHttpFloor(encoded, count, Math.max(5, 2 * context.budget.rounds));
    const inProcessNs = baseline.nsPerOp ?? Number.NaN;
    const batchMean = count / pushes.length;
    const ceiling = ratioCeiling(floor, inProcessNs, batchMean);
    const decodeCeiling = inProcessNs / (inProcessNs + floor.decodeNsPerDelta);
    const floorText = `Floor, measured in this process: a bare request/reply carrying one of these pushes costs ${floor.exchangeUs.toFixed(0)} µs (the runtime's own server with no framework, answering 4 bytes, and its cheapest client: node:http on Node, fetch on Bun), ${((floor.exchangeUs * 1e3) / batchMean).toFixed(0)} ns per delta, and decoding costs ${floor.decodeNsPerDelta.toFixed(0)} ns per delta`;
    const sameThreadCeiling = `${floorText}, so a server that added nothing of its own, serving this bare client one request at a time, would reach about ${ceiling.toFixed(2)} × in-process here (an estimate, not a bound: requests in flight together and another client can do better).`;
    const offThreadCeiling = `${floorText}; decoding alone bounds this row at ${decodeCeiling.toFixed(2)} × in-process, before this thread's half of the exchange.`;
    const note = `Sessions of ${count.toLocaleString('en-GB')} deltas in ${pushes.length} POSTs of ≤ ${PUSH_BATCH} from ${shape.clients} clients, JWT auth on (a fresh server per session; before the timer starts, each client sends one empty pull, which verifies its token in full and opens its connection, as the long-lived clients of a long-lived gateway have); a delta counts once it is in the gateway's log (ids verified); rates are per delta.`;
    const sameThread = 'Client and server share this process and its one thread.';
    const concurrently = `All ${shape.clients} clients at once, one request in flight per client, each client's pushes in order: throughput.`;
    const serially =
      'One request in flight in all: each POST is sent after the previous reply (latency-bound).';
    const row = (id: string, title: string, side: Side, extra: string) =>
      rowFromQuantities({
        id,
        suite: this.id,
        title,
        subject: rateQuantity(side.label, samples.get(side)!),
        baseline,
        ratioText: 'HTTP deltas/s ÷ in-process handlePush deltas/s',
        target: atLeast(0.5, '≥ 0.5 × in-process'),
        note: `${note} ${extra}`,
      });
    const runtimeFetch =
      "HttpTransport over the runtime's global fetch (undici on Node, which keeps connections alive by default).";
    const leanText =
      "HttpTransport over nodeHttpFetch (server/node-http-fetch.ts: node:http with a keep-alive agent, abort signal honoured, each reply read whole into a plain FetchReply rather than a web Response), to separate the cost of the runtime's fetch from the server's.";
    return {
      rows: [
        row(
          'http.push',
          'Deltas/s pushed over HTTP (loopback, batches of 100, 8 clients at once)',
          http,
          `${sameThread} ${concurrently} ${runtimeFetch} ${sameThreadCeiling}`,
        ),
        row(
          'http.push-serial',
          'Deltas/s pushed over HTTP (loopback, batches of 100, one request in flight)',
          httpSerial,
          `${sameThread} ${serially} ${runtimeFetch} ${sameThreadCeiling}`,
        ),
        row(
          'http.push-lean-client',
          'Deltas/s pushed over HTTP, lean client (loopback, batches of 100, 8 clients at once)',
          leanConcurrent,
          `${sameThread} ${concurrently} ${leanText} ${sameThreadCeiling}`,
        ),
        row(
          'http.push-lean-serial',
          'Deltas/s pushed over HTTP, lean client (loopback, batches of 100, one request in flight)',
          leanSerial,
          `${sameThread} ${serially} ${leanText} ${sameThreadCeiling}`,
        ),
        row(
          'http.push-clients-off-thread',
          "Deltas/s through the gateway server's thread, clients in a worker (loopback, batches of 100)",
          offThread,
          `${concurrently} The clients run in a worker thread (node:http with a keep-alive agent on Node, fetch on Bun), so this thread does only the server's work, as a gateway serving remote clients does; the machine's second core carries the clients, so this is the server's throughput, not a like-for-like CPU comparison. ${offThreadCeiling}`,
        ),
      ],
    };
  },
};

/** Samples (ns per delta) of one side for one round: sessions until the time budget is spent. */
async function measureSide(
  side: Side,
  count: number,
  context: SuiteContext,
  warm: boolean,
): Promise<number[]> {
  const { timeMs, warmupMs, samplesMin } = context.budget;
  const run = async () => {
    const { session, close } = await side.open();
    try {
      return await session();
    } finally {
      await close();
    }
  };
  if (warm) {
    const warmUntil = performance.now() + warmupMs;
    do await run();
    while (performance.now() < warmUntil);
  }
  const samples: number[] = [];
  const until = performance.now() + timeMs;
  while (samples.length < samplesMin || performance.now() < until) {
    samples.push((await run()) / count);
  }
  return samples;
}

/** Through the server: a fresh server per session; returns the session's nanoseconds. */
function httpSide(
  label: string,
  encoded: readonly Uint8Array[],
  pushes: readonly SyncPush[],
  clockMs: number,
  fetch: FetchLike | undefined,
  inFlight: InFlight,
): Side {
  const deltaCount = pushes.reduce((sum, push) => sum + push.deltas.length, 0);
  return {
    label,
    async open() {
      const clock = new ManualClock(clockMs);
      const timers = new ManualTimers(clock);
      const started = await startGatewayServer({
        auth: { kind: 'jwt', secret: SECRET },
        port: 0,
        lake: { kind: 'adapter', adapter: new MemoryAdapter({ clock }) },
        gatewayOptions: { flushBytesThreshold: NEVER, flushAgeMs: NEVER, bufferBytesMax: NEVER },
        clock,
        timers,
      });
      if (!started.ok)
        throw new Error(`http-push: cannot start a server: ${started.error.message}`);
      const server: GatewayServer = started.value;
      const tokens = new Map<string, string>();
      for (const push of pushes) {
        if (!tokens.has(push.clientId))
          tokens.set(push.clientId, await server.issueToken(push.clientId));
      }
      const streams = new Map<string, Uint8Array[]>();
      for (const [position, push] of pushes.entries()) {
        const own = streams.get(push.clientId) ?? [];
        own.push(encoded[position]!);
        streams.set(push.clientId, own);
      }
      if (inFlight instanceof WorkerLoad) {
        await inFlight.load(
          server.url,
          [...streams].map(([clientId, own]) => ({
            token: tokens.get(clientId)!,
            warmUp: warmUpPull(clientId),
            pushes: own,
          })),
        );
      }
      const transports = new Map(
        [...tokens].map(([clientId, token]) => [
          clientId,
          new HttpTransport({
            baseUrl: server.url,
            timers,
            token: () => token,
            ...(fetch === undefined ? {} : { fetch }),
          }),
        ]),
      );
      // Untimed: each client's token verified once and its connection open, as for the
      // long-lived clients of a long-lived gateway (the server is fresh per session).
      for (const [clientId, transport] of inFlight instanceof WorkerLoad ? [] : transports) {
        if (!(await transport.pull(warmUpPull(clientId))).ok)
          throw new Error('http-push: the warm-up pull failed');
      }
      return {
        session: async () => {
          const startedAt = performance.now();
          const accepted =
            inFlight instanceof WorkerLoad
              ? await inFlight.go().then(() => [...streams.values()].map((own) => own.length))
              : inFlight === 'per-client'
                ? // One request in flight per client, the clients at once, as clients of a gateway are.
                  await Promise.all(
                    [...streams].map(([clientId, own]) =>
                      pushInOrder(transports.get(clientId)!, own),
                    ),
                  )
                : await pushOneAtATime(streams, transports);
          // Reading the log length verifies the deferred deltaIds (ADR-016): a delta counts once logged.
          const logged = server.gateway.stats().logLength;
          const elapsedNs = (performance.now() - startedAt) * 1e6;
          consume(accepted.length);
          if (logged !== deltaCount)
            throw new Error('http-push: the server did not log every delta');
          return elapsedNs;
        },
        close: () => server.close({ flush: false }),
      };
    },
  };
}

/** In-process `handlePush` of decoded pushes, on the gateway-push suite's bench gateway. */
function inProcessSide(pushes: readonly SyncPush[], clockMs: number): Side {
  const deltaCount = pushes.reduce((sum, push) => sum + push.deltas.length, 0);
  return {
    label: 'in-process handlePush',
    async open() {
      const gateway = await openBenchGateway(clockMs);
      return {
        session: async () => {
          const startedAt = performance.now();
          let accepted = 0;
          for (const push of pushes) if (gateway.handlePush(push).ok) accepted++;
          const logged = gateway.stats().logLength; // verifies the deferred ids, as on the server
          const elapsedNs = (performance.now() - startedAt) * 1e6;
          consume(accepted);
          if (accepted !== pushes.length || logged !== deltaCount)
            throw new Error('http-push: a seeded push was refused or not logged in process');
          return elapsedNs;
        },
        close: async () => gateway.close(),
      };
    },
  };
}

/** The push as the gateway receives it from the wire: encoded, then decoded. */
function redecode(push: SyncPush): SyncPush {
  const decoded = decodeSyncPush(encodeSyncPush(push));
  if (!decoded.ok)
    throw new Error(`http-push: a seeded push does not decode: ${decoded.error.message}`);
  return decoded.value;
}
