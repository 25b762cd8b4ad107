import type { WireHandler } from '../../src/gateway/wire-handler';
import type { Transport } from '../../src/ports/transport';
import type { TransportError } from '../../src/result/errors';
import { Err, Ok, type Result } from '../../src/result/result';
import type { ScheduledEvent } from '../engine/event-queue';
import type { Prng } from '../engine/prng';
import type { Scheduler } from '../engine/scheduler';
import { asciiBytes, type Trace } from '../engine/trace';
import type { CallbackErrorSink } from '../engine/virtual-timers';
import type { FaultRates } from '../types';
import type { FaultSink } from './fault-sink';
import { simTransportError } from './stackless';

type RequestKind = 'push' | 'pull';
type Reply = Result<Uint8Array, TransportError>;

/** Counters of what the network did, for the summary table. */
export interface NetworkCounters {
  messagesSent: number;
  messagesDelivered: number;
  messagesDropped: number;
  duplicatesDelivered: number;
  repliesLost: number;
  repliesDelivered: number;
  requestsTimedOut: number;
  requestsRefused: number;
  requestsOffline: number;
}

/** What the network needs from the world around it. */
export interface NetworkDeps {
  readonly scheduler: Scheduler;
  /** The `network` stream: every per-message draw comes from here. */
  readonly prng: Prng;
  readonly trace: Trace;
  readonly rates: FaultRates;
  /** The gateway's handler now, or `null` while it is down (requests are refused). */
  readonly gateway: () => WireHandler | null;
  /** A request with no reply fails with `TransportError` this long after it was sent. */
  readonly requestTimeoutMs: number;
  readonly onFault: FaultSink;
  /** A gateway handler that threw: an exception escaped a public API. */
  readonly onError: CallbackErrorSink;
  /** Sees every request the gateway answered, with its reply (for oracles on the wire). */
  readonly onAnswered?: (
    kind: RequestKind,
    request: Uint8Array,
    reply: Uint8Array,
    client: number,
  ) => void;
  /**
   * Asked as a client hands a request to its link (it has claimed the batch): `false` means the
   * request never leaves (a state-triggered fault crashed the client between claim and send).
   */
  readonly beforeSend?: (client: number, kind: RequestKind) => boolean;
  /** A request of `client` got no answer: offline, timed out, refused by a down gateway. */
  readonly onMiss?: (client: number, why: 'offline' | 'timeout' | 'refused') => void;
  /**
   * Whether drawn faults (drop, duplicate, reply loss) may hit `client` now; absent: always. A
   * fault focus (ADR-017) narrows them to one client or one window. The draws happen regardless,
   * so the stream stays aligned.
   */
  readonly faultsApply?: (client: number, nowMs: number) => boolean;
}

/** A client's connection: a `Transport`, and `kill` for when the client process dies. */
export interface ClientLink extends Transport {
  /** Nothing sent before or after resolves any more; messages already on the wire still arrive. */
  kill(): void;
}

/**
 * One request on the wire: who sent it, how to answer it, and what was drawn for it (always in
 * this order, see `SimNetwork`). One object per message, so the events it schedules capture
 * just this and the network.
 */
interface PendingRequest {
  readonly client: number;
  readonly resolve: (reply: Reply) => void;
  settled: boolean;
  readonly link: { dead: boolean };
  readonly kind: RequestKind;
  readonly bytes: Uint8Array;
  latencyMs: number;
  dropped: boolean;
  duplicated: boolean;
  duplicateDelayMs: number;
  replyLost: boolean;
  replyLatencyMs: number;
  /** The timeout event, once scheduled. */
  timeout: ScheduledEvent | null;
}

/**
 * The simulated network between clients and the gateway. Every request crosses as protobuf bytes:
 * client `Transport` → (latency, maybe dropped / duplicated) → the gateway's `WireHandler` →
 * (latency, maybe lost) → reply. Per message it draws, always in the same order and number so that
 * the stream stays aligned: request latency, drop, duplicate, duplicate delay, reply loss, reply
 * latency.
 *
 * Behaviour:
 * - latency is uniform in `[latencyMsMin, latencyMsMax]` each way; reordering follows from it;
 * - a dropped request, a lost reply, or a partition in the message's direction (checked when it is
 *   sent) means no reply: the request fails with `TransportError` after `requestTimeoutMs`;
 * - an offline client fails at once (no route), a down gateway refuses (the refusal travels back);
 * - a duplicate is delivered a second time later; the gateway handles it and its reply is
 *   discarded;
 * - the drawn faults (drop, duplicate, reply loss) apply only while `faultsActive`; partitions and
 *   offline periods are set explicitly by plan events and expire at their end time.
 */
export class SimNetwork {
  readonly counters: NetworkCounters = {
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDropped: 0,
    duplicatesDelivered: 0,
    repliesLost: 0,
    repliesDelivered: 0,
    requestsTimedOut: 0,
    requestsRefused: 0,
    requestsOffline: 0,
  };
  /** Whether drop, duplicate and reply loss are drawn (false in the heal phase). */
  faultsActive = true;
  readonly #deps: NetworkDeps;
  readonly #toGatewayCutUntilMs: number[] = [];
  readonly #fromGatewayCutUntilMs: number[] = [];
  readonly #offlineUntilMs: number[] = [];
  /** The block small request copies are cut from, and how much of it is used (see `#copy`). */
  #copyBlock = new Uint8Array(COPY_BLOCK_BYTES);
  #copyBlockUsed = 0;
  /** Each client's lane text, by client index (see `#lane`). */
  readonly #lanes: string[] = [];
  /** Each client's trace heads, by client index (see `#heads`). */
  readonly #heads: TraceHeads[] = [];

  constructor(deps: NetworkDeps) {
    this.#deps = deps;
  }

  /** A fresh connection for client `client` (a new one after each client restart). */
  connect(client: number): ClientLink {
    const link = { dead: false };
    const send = (kind: RequestKind, bytes: Uint8Array): Promise<Reply> =>
      new Promise<Reply>((resolve) => {
        if (link.dead) return;
        if (this.#deps.beforeSend !== undefined && !this.#deps.beforeSend(client, kind)) return;
        this.#send({
          client,
          resolve,
          settled: false,
          link,
          kind,
          bytes: this.#copy(bytes),
          latencyMs: 0,
          dropped: false,
          duplicated: false,
          duplicateDelayMs: 0,
          replyLost: false,
          replyLatencyMs: 0,
          timeout: null,
        });
      });
    return {
      push: (request) => send('push', request),
      pull: (request) => send('pull', request),
      kill: () => {
        link.dead = true;
      },
    };
  }

  /** Cuts the given direction(s) between `clients` and the gateway until `untilMs`. */
  partition(
    clients: readonly number[],
    direction: 'both' | 'to-gateway' | 'from-gateway',
    untilMs: number,
  ): void {
    for (const client of clients) {
      if (direction !== 'from-gateway') extend(this.#toGatewayCutUntilMs, client, untilMs);
      if (direction !== 'to-gateway') extend(this.#fromGatewayCutUntilMs, client, untilMs);
    }
  }

  /** Takes `client` off the network until `untilMs`: its requests fail at once. */
  setOffline(client: number, untilMs: number): void {
    extend(this.#offlineUntilMs, client, untilMs);
  }

  /** True while `client` is offline or cut from the gateway in either direction. */
  isCut(client: number, nowMs: number): boolean {
    return (
      until(this.#offlineUntilMs, client) > nowMs ||
      until(this.#toGatewayCutUntilMs, client) > nowMs ||
      until(this.#fromGatewayCutUntilMs, client) > nowMs
    );
  }

  /** Ends every partition and offline period now (the heal phase). */
  healAll(): void {
    this.#toGatewayCutUntilMs.length = 0;
    this.#fromGatewayCutUntilMs.length = 0;
    this.#offlineUntilMs.length = 0;
  }

  #send(request: PendingRequest): void {
    const { scheduler, prng, rates, requestTimeoutMs } = this.#deps;
    const { kind, bytes } = request;
    const now = scheduler.nowMs;
    this.counters.messagesSent++;
    const active = this.faultsActive && (this.#deps.faultsApply?.(request.client, now) ?? true);
    // The draws, in their fixed order (the `network` stream must stay aligned).
    request.latencyMs = prng.between(rates.latencyMsMin, rates.latencyMsMax);
    request.dropped = prng.chance(rates.dropProbability) && active;
    request.duplicated = prng.chance(rates.duplicateProbability) && active;
    request.duplicateDelayMs = prng.between(rates.latencyMsMin, rates.latencyMsMax);
    request.replyLost = prng.chance(rates.replyLossProbability) && active;
    request.replyLatencyMs = prng.between(rates.latencyMsMin, rates.latencyMsMax);
    const lane = this.#lane(request.client);
    if (until(this.#offlineUntilMs, request.client) > now) {
      this.counters.requestsOffline++;
      this.#deps.onMiss?.(request.client, 'offline');
      scheduler.after(0, () => this.#settle(request, Err(simTransportError(`${lane} is offline`))));
      return;
    }
    request.timeout = scheduler.after(requestTimeoutMs, () => {
      if (request.settled) return;
      this.counters.requestsTimedOut++;
      this.#deps.onMiss?.(request.client, 'timeout');
      const message = `${kind} timed out after ${requestTimeoutMs} ms`;
      this.#settle(request, Err(simTransportError(message)));
    });
    if (request.dropped || until(this.#toGatewayCutUntilMs, request.client) > now) {
      this.counters.messagesDropped++;
      if (request.dropped) this.#deps.onFault('drop', lane, `${kind} request dropped`);
      return;
    }
    // Deliveries run the gateway's synchronous WireHandler, so they skip the quiescence step
    // (`settles: false`); any promise work they start is parked on storage or timers.
    scheduler.after(request.latencyMs, () => this.#arrive(request), false);
    if (request.duplicated) {
      this.#deps.onFault('duplicate', lane, `${kind} request delivered twice`);
      const duplicate = (): void => {
        const reply = this.#deliver(request.client, kind, bytes);
        if (reply instanceof Uint8Array) this.counters.duplicatesDelivered++;
      };
      scheduler.after(request.latencyMs + request.duplicateDelayMs, duplicate, false);
    }
  }

  /** A request reaches the gateway: hand it over, then send back the reply (or lose it). */
  #arrive(request: PendingRequest): void {
    const { scheduler, trace, onFault } = this.#deps;
    const { kind, bytes, replyLatencyMs } = request;
    const timeout = request.timeout as ScheduledEvent;
    const lane = this.#lane(request.client);
    const answer = this.#deliver(request.client, kind, bytes);
    if (answer === null) {
      this.counters.requestsRefused++;
      this.#deps.onMiss?.(request.client, 'refused');
      scheduler.after(replyLatencyMs, () => {
        scheduler.cancel(timeout);
        this.#settle(request, Err(simTransportError(`gateway refused ${kind}: it is down`)));
      });
      return;
    }
    if (answer === undefined) return; // the handler threw: reported, and no reply comes
    // The reply travels as a copy cut from the shared block too: the client's reader asks for its
    // `.buffer` (for a fixed64), which JSC answers for a small array made by `slice` (up to 1,000
    // bytes: most replies) by moving it to a new buffer of its own, and V8 likewise for ≤ 64 bytes.
    const reply = answer.length > COPY_SHARED_BYTES_MAX ? answer : this.#copy(answer);
    if (request.replyLost || until(this.#fromGatewayCutUntilMs, request.client) > scheduler.nowMs) {
      this.counters.repliesLost++;
      if (request.replyLost)
        onFault('reply-loss', lane, `${kind} reply lost after the gateway acted`);
      return;
    }
    scheduler.after(replyLatencyMs, () => {
      if (request.settled || request.link.dead) return;
      scheduler.cancel(timeout);
      this.counters.repliesDelivered++;
      const heads = this.#heads[request.client] ?? this.#headsOf(request.client);
      trace.recordTimedBytes(
        scheduler.nowMs,
        kind === 'push' ? heads.replyPush : heads.replyPull,
        reply,
      );
      this.#settle(request, Ok(reply));
    });
  }

  /** Hands a request to the gateway: its reply, `null` if it is down, `undefined` if it threw. */
  #deliver(client: number, kind: RequestKind, bytes: Uint8Array): Uint8Array | null | undefined {
    const { gateway, trace, scheduler } = this.#deps;
    const handler = gateway();
    if (handler === null) {
      trace.record(`${scheduler.nowMs} refused ${this.#lane(client)} ${kind}`);
      return null;
    }
    this.counters.messagesDelivered++;
    const heads = this.#heads[client] ?? this.#headsOf(client);
    trace.recordTimedBytes(
      scheduler.nowMs,
      kind === 'push' ? heads.deliverPush : heads.deliverPull,
      bytes,
    );
    try {
      const reply = kind === 'push' ? handler.push(bytes) : handler.pull(bytes);
      this.#deps.onAnswered?.(kind, bytes, reply, client);
      return reply;
    } catch (error) {
      this.#deps.onError(error, `WireHandler.${kind} for client-${client}`);
      return undefined;
    }
  }

  /**
   * The bytes that travel: a copy, so the sender cannot change a request once it is on the wire.
   * Small copies are cut from a shared block that is never written again where a copy was cut: V8
   * keeps a typed array of ≤ 64 bytes (a pull request) on the JS heap, and the gateway's reader
   * asks for its `.buffer`, which moves it off the heap one array at a time — dearer than decoding
   * the request. A block is off the heap once for hundreds of copies, and lives as long as any
   * copy cut from it (at most `COPY_BLOCK_BYTES` each). Large requests get their own buffer.
   */
  #copy(bytes: Uint8Array): Uint8Array {
    const length = bytes.length;
    if (length > COPY_SHARED_BYTES_MAX) return bytes.slice();
    if (this.#copyBlockUsed + length > COPY_BLOCK_BYTES) {
      this.#copyBlock = new Uint8Array(COPY_BLOCK_BYTES);
      this.#copyBlockUsed = 0;
    }
    const start = this.#copyBlockUsed;
    const copy = this.#copyBlock.subarray(start, start + length);
    copy.set(bytes);
    this.#copyBlockUsed = start + length;
    return copy;
  }

  /** `client-<n>`, the client's lane in the trace and timeline: built once per client. */
  #lane(client: number): string {
    const lanes = this.#lanes;
    let lane = lanes[client];
    if (lane === undefined) {
      lane = `client-${client}`;
      lanes[client] = lane;
    }
    return lane;
  }

  /**
   * The ASCII of what follows the time in client `client`'s message lines on the trace
   * (` deliver client-<n> push` …), built once per client: `Trace.recordTimedBytes` hashes the
   * same bytes as the template string it replaces.
   */
  #headsOf(client: number): TraceHeads {
    const lane = this.#lane(client);
    const heads: TraceHeads = {
      deliverPush: asciiBytes(` deliver ${lane} push`),
      deliverPull: asciiBytes(` deliver ${lane} pull`),
      replyPush: asciiBytes(` reply ${lane} push`),
      replyPull: asciiBytes(` reply ${lane} pull`),
    };
    this.#heads[client] = heads;
    return heads;
  }

  #settle(request: PendingRequest, reply: Reply): void {
    if (request.settled || request.link.dead) return;
    request.settled = true;
    request.resolve(reply);
  }
}

/** A client's message lines on the trace, after the time, as ASCII bytes (see `#headsOf`). */
interface TraceHeads {
  readonly deliverPush: Uint8Array;
  readonly deliverPull: Uint8Array;
  readonly replyPush: Uint8Array;
  readonly replyPull: Uint8Array;
}

/** Size of the blocks small request copies share (see `SimNetwork.#copy`). */
const COPY_BLOCK_BYTES = 16 * 1024;
/** Requests up to this size share a block; larger ones get their own buffer. */
const COPY_SHARED_BYTES_MAX = 1024;

function until(table: readonly number[], client: number): number {
  return table[client] ?? 0;
}

function extend(table: number[], client: number, untilMs: number): void {
  if (until(table, client) < untilMs) table[client] = untilMs;
}
