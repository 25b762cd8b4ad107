import { describe, expect, it } from 'vitest';
import type { WireHandler } from '../../src/gateway/wire-handler';
import { LakeSyncError, TransportError } from '../../src/result/errors';
import type { Result } from '../../src/result/result';
import { createPrng } from '../engine/prng';
import { Scheduler } from '../engine/scheduler';
import { Trace } from '../engine/trace';
import { faultProfile } from '../faults/profiles';
import type { FaultRates } from '../types';
import type { FaultKind } from '../world/fault-sink';
import { SimNetwork } from '../world/network';

const TIMEOUT_MS = 3_000;

/** A wire handler that echoes the request with a 1-byte marker and counts calls. */
function echoHandler(): WireHandler & { calls: number } {
  const handler = {
    calls: 0,
    push(request: Uint8Array): Uint8Array {
      handler.calls++;
      return Uint8Array.of(1, ...request);
    },
    pull(request: Uint8Array): Uint8Array {
      handler.calls++;
      return Uint8Array.of(2, ...request);
    },
  };
  return handler;
}

function setup(rates: Partial<FaultRates> = {}, seed = 1) {
  const scheduler = new Scheduler();
  const handler = echoHandler();
  let up = true;
  const faults: FaultKind[] = [];
  const errors: string[] = [];
  const network = new SimNetwork({
    scheduler,
    prng: createPrng(seed, 'network'),
    trace: new Trace(),
    rates: { ...faultProfile('none'), latencyMsMin: 10, latencyMsMax: 10, ...rates },
    gateway: () => (up ? handler : null),
    requestTimeoutMs: TIMEOUT_MS,
    onFault: (kind) => faults.push(kind),
    onError: (_error, where) => errors.push(where),
  });
  return {
    scheduler,
    handler,
    network,
    faults,
    errors,
    setUp: (value: boolean) => {
      up = value;
    },
  };
}

type Outcome = { ok: boolean; atMs: number; bytes?: number[]; message?: string };

function track(
  scheduler: Scheduler,
  promise: Promise<Result<Uint8Array, TransportError>>,
): Outcome[] {
  const outcomes: Outcome[] = [];
  void promise.then((result) =>
    outcomes.push(
      result.ok
        ? { ok: true, atMs: scheduler.nowMs, bytes: [...result.value] }
        : { ok: false, atMs: scheduler.nowMs, message: result.error.message },
    ),
  );
  return outcomes;
}

describe('SimNetwork', () => {
  it('carries bytes to the gateway and back after the latency each way', async () => {
    const { scheduler, network } = setup();
    const link = network.connect(0);
    const outcomes = track(scheduler, link.push(Uint8Array.of(7, 8)));
    await scheduler.runUntil(10_000);
    expect(outcomes).toEqual([{ ok: true, atMs: 20, bytes: [1, 7, 8] }]);
    expect(network.counters.messagesDelivered).toBe(1);
  });

  it('fails a dropped request with TransportError after the timeout', async () => {
    const { scheduler, network, handler, faults } = setup({ dropProbability: 1 });
    const outcomes = track(scheduler, network.connect(0).pull(Uint8Array.of(1)));
    await scheduler.runUntil(10_000);
    expect(outcomes).toEqual([
      { ok: false, atMs: TIMEOUT_MS, message: `pull timed out after ${TIMEOUT_MS} ms` },
    ]);
    expect(handler.calls).toBe(0);
    expect(faults).toEqual(['drop']);
  });

  it('loses the reply after the gateway acted', async () => {
    const { scheduler, network, handler } = setup({ replyLossProbability: 1 });
    const outcomes = track(scheduler, network.connect(0).push(Uint8Array.of(1)));
    await scheduler.runUntil(10_000);
    expect(handler.calls).toBe(1);
    expect(outcomes[0]?.ok).toBe(false);
    expect(network.counters.repliesLost).toBe(1);
  });

  it('delivers a duplicate a second time later and discards its reply', async () => {
    const { scheduler, network, handler } = setup({ duplicateProbability: 1 });
    const outcomes = track(scheduler, network.connect(0).push(Uint8Array.of(3)));
    await scheduler.runUntil(10_000);
    expect(handler.calls).toBe(2);
    expect(outcomes).toEqual([{ ok: true, atMs: 20, bytes: [1, 3] }]);
    expect(network.counters.duplicatesDelivered).toBe(1);
  });

  it('refuses requests while the gateway is down, and fails offline clients at once', async () => {
    const { scheduler, network, setUp } = setup();
    setUp(false);
    const refused = track(scheduler, network.connect(0).push(Uint8Array.of(1)));
    network.setOffline(1, 5_000);
    const offline = track(scheduler, network.connect(1).push(Uint8Array.of(1)));
    await scheduler.runUntil(10_000);
    expect(refused).toEqual([{ ok: false, atMs: 20, message: 'gateway refused push: it is down' }]);
    expect(offline).toEqual([{ ok: false, atMs: 0, message: 'client-1 is offline' }]);
  });

  it('cuts one direction of a partition: to-gateway never arrives, from-gateway arrives but no reply', async () => {
    const { scheduler, network, handler } = setup();
    network.partition([0], 'to-gateway', 1_000);
    network.partition([1], 'from-gateway', 1_000);
    const cutTo = track(scheduler, network.connect(0).push(Uint8Array.of(1)));
    const cutFrom = track(scheduler, network.connect(1).push(Uint8Array.of(1)));
    const free = track(scheduler, network.connect(2).push(Uint8Array.of(1)));
    await scheduler.runUntil(10_000);
    expect(handler.calls).toBe(2);
    expect(cutTo[0]?.ok).toBe(false);
    expect(cutFrom[0]?.ok).toBe(false);
    expect(free[0]?.ok).toBe(true);
  });

  it('never resolves requests of a killed link', async () => {
    const { scheduler, network, handler } = setup();
    const link = network.connect(0);
    const outcomes = track(scheduler, link.push(Uint8Array.of(1)));
    link.kill();
    await scheduler.runUntil(10_000);
    expect(handler.calls).toBe(1);
    expect(outcomes).toEqual([]);
  });

  it('reports a throwing handler and gives no reply', async () => {
    const scheduler = new Scheduler();
    const errors: string[] = [];
    const network = new SimNetwork({
      scheduler,
      prng: createPrng(1, 'network'),
      trace: new Trace(),
      rates: faultProfile('none'),
      gateway: () => ({
        push: () => {
          throw new Error('bug');
        },
        pull: () => new Uint8Array(),
      }),
      requestTimeoutMs: TIMEOUT_MS,
      onFault: () => {},
      onError: (_error, where) => errors.push(where),
    });
    const outcomes = track(scheduler, network.connect(4).push(Uint8Array.of(1)));
    await scheduler.runUntil(10_000);
    expect(errors).toEqual(['WireHandler.push for client-4']);
    expect(outcomes[0]?.ok).toBe(false);
  });

  it('injects faults at the configured rates, and none once faults stop', async () => {
    const { scheduler, network } = setup(
      {
        dropProbability: 0.2,
        duplicateProbability: 0.1,
        replyLossProbability: 0.05,
        latencyMsMin: 1,
        latencyMsMax: 200,
      },
      7,
    );
    const link = network.connect(0);
    const count = 5_000;
    for (let index = 0; index < count; index++) void link.push(Uint8Array.of(index & 0xff));
    await scheduler.runUntil(100_000);
    const { messagesDropped, duplicatesDelivered, repliesLost, messagesSent } = network.counters;
    expect(messagesSent).toBe(count);
    expect(Math.abs(messagesDropped / count - 0.2)).toBeLessThan(0.025);
    expect(Math.abs(duplicatesDelivered / (count - messagesDropped) - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(repliesLost / (count - messagesDropped) - 0.05)).toBeLessThan(0.015);

    network.faultsActive = false;
    for (let index = 0; index < 1_000; index++) void link.push(Uint8Array.of(1));
    await scheduler.runUntil(200_000);
    expect(network.counters.messagesDropped).toBe(messagesDropped);
    expect(network.counters.repliesLost).toBe(repliesLost);
  });

  it('reorders messages when latency varies', async () => {
    const { scheduler, network } = setup({ latencyMsMin: 1, latencyMsMax: 500 }, 3);
    const link = network.connect(0);
    const arrivals: number[] = [];
    for (let index = 0; index < 20; index++) {
      void link.push(Uint8Array.of(index)).then((result) => {
        if (result.ok) arrivals.push(result.value[1] as number);
      });
    }
    await scheduler.runUntil(10_000);
    expect(arrivals).toHaveLength(20);
    expect(arrivals).not.toEqual([...arrivals].sort((a, b) => a - b));
  });

  it('delivers a copy: the sender cannot change a request on the wire, nor two copies each other', async () => {
    const seen: number[][] = [];
    const scheduler = new Scheduler();
    const network = new SimNetwork({
      scheduler,
      prng: createPrng(1, 'network'),
      trace: new Trace(),
      rates: { ...faultProfile('none'), latencyMsMin: 1, latencyMsMax: 50 },
      gateway: () => ({
        push: (request) => {
          seen.push([...request]);
          request.fill(0xee); // a handler scribbling on its input must not reach another request
          return Uint8Array.of(1);
        },
        pull: () => Uint8Array.of(2),
      }),
      requestTimeoutMs: TIMEOUT_MS,
      onFault: () => {},
      onError: () => {},
    });
    const link = network.connect(0);
    // Enough small requests to fill several shared blocks, some large ones with their own buffer.
    const sent: number[][] = [];
    for (let index = 0; index < 2_000; index++) {
      const length = index % 100 === 0 ? 5_000 : 1 + (index % 60);
      const request = new Uint8Array(length).map((_, at) => (index + at) & 0xff);
      sent.push([...request]);
      void link.push(request);
      request.fill(0xff); // the sender reuses its buffer at once
    }
    await scheduler.runUntil(10_000);
    expect(seen.map((bytes) => bytes.join()).sort()).toEqual(
      sent.map((bytes) => bytes.join()).sort(),
    );
  });

  it("fails requests with errors equal to a real transport's", async () => {
    const { scheduler, network } = setup({ dropProbability: 1 });
    let error: unknown;
    void network
      .connect(0)
      .pull(Uint8Array.of(1))
      .then((result) => {
        if (!result.ok) error = result.error;
      });
    await scheduler.runUntil(10_000);
    const expected = new TransportError(`pull timed out after ${TIMEOUT_MS} ms`);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toBeInstanceOf(LakeSyncError);
    const { name, code, message } = error as TransportError;
    expect({ name, code, message }).toEqual({
      name: expected.name,
      code: expected.code,
      message: expected.message,
    });
  });
});
