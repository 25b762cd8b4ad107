import { type EmbeddedS3, startEmbeddedS3 } from '../../sim/lake/embedded-s3';
import { S3Adapter } from '../../src/adapter/s3-adapter';
import type { LakeAdapter } from '../../src/adapter/types';
import { SyncClient } from '../../src/client/sync-client';
import { materialise, mergeIntoStates } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { Row, RowKey } from '../../src/delta/types';
import { decodeEnvelope, ENVELOPE_PREFIX, type FlushEnvelope } from '../../src/gateway/envelope';
import { SyncGateway } from '../../src/gateway/gateway';
import { createInProcessTransport } from '../../src/gateway/in-process-transport';
import type { GatewayOptions } from '../../src/gateway/options';
import { createWireHandler, type WireHandler } from '../../src/gateway/wire-handler';
import type { Clock } from '../../src/ports/clock';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { MemoryQueue } from '../../src/queue/memory-queue';
import { unwrapOrThrow } from '../../src/result/result';

/**
 * One gateway, any number of clients, an in-process transport carrying protobuf bytes, manual
 * time, and a real S3 server over HTTP (the embedded one) as the lake.
 */
export class SyncWorld {
  readonly clock = new ManualClock();
  readonly timers = new ManualTimers(this.clock);
  readonly lake: LakeAdapter;
  readonly gatewayId = `gw-${uniqueSuffix()}`;
  #gateway: SyncGateway | null = null;
  #handler: WireHandler | null = null;
  readonly #options: Partial<GatewayOptions>;

  private constructor(lake: LakeAdapter, options: Partial<GatewayOptions>) {
    this.lake = lake;
    this.#options = options;
  }

  /** A world over the given S3 server; each world writes under its own gateway id. */
  static async create(s3: EmbeddedS3, options: Partial<GatewayOptions> = {}): Promise<SyncWorld> {
    const world = new SyncWorld(new S3Adapter(s3.config), options);
    await world.restartGateway();
    return world;
  }

  get gateway(): SyncGateway {
    if (this.#gateway === null) throw new Error('gateway not started');
    return this.#gateway;
  }

  async client(
    clientId: string,
    queue = new MemoryQueue(),
    clock: Clock = this.clock,
  ): Promise<SyncClient> {
    const transport = createInProcessTransport(() => this.#handler);
    return unwrapOrThrow(
      await SyncClient.open({ clientId, clock, timers: this.timers, transport, queue }),
    );
  }

  /** Crashes the gateway (memory lost) and starts a new instance over the same lake. */
  async restartGateway(): Promise<void> {
    this.#gateway?.close();
    this.#handler = null;
    this.#gateway = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: this.gatewayId,
        clock: this.clock,
        timers: this.timers,
        adapter: this.lake,
        options: this.#options,
      }),
    );
    this.#handler = createWireHandler(this.#gateway);
  }

  /** Rows folded from this gateway's envelopes in the lake. */
  async lakeRows(): Promise<Map<RowKey, Row>> {
    const states = new Map<RowKey, RowState>();
    for (const envelope of await this.#envelopes()) {
      for (const delta of envelope.deltas) mergeIntoStates(states, delta);
    }
    return visibleRows(states);
  }

  /** Delta ids across this gateway's envelopes, in lake order (duplicates kept, to be checked). */
  async lakeDeltaIds(): Promise<string[]> {
    return (await this.#envelopes()).flatMap((envelope) =>
      envelope.deltas.map((delta) => delta.deltaId),
    );
  }

  /** This gateway's envelopes, read back from the lake and decoded, in key order. */
  async #envelopes(): Promise<FlushEnvelope[]> {
    const envelopes: FlushEnvelope[] = [];
    for (const object of unwrapOrThrow(await this.lake.listObjects(ENVELOPE_PREFIX))) {
      if (!object.key.includes(`/${this.gatewayId}/`)) continue;
      envelopes.push(
        unwrapOrThrow(decodeEnvelope(unwrapOrThrow(await this.lake.getObject(object.key)))),
      );
    }
    return envelopes;
  }
}

/** The materialised rows of a map of states. */
export function visibleRows(states: ReadonlyMap<RowKey, RowState>): Map<RowKey, Row> {
  const rows = new Map<RowKey, Row>();
  for (const [key, state] of states) {
    const row = materialise(state);
    if (row !== null) rows.set(key, row);
  }
  return rows;
}

/** Plain objects of a row map, for deep equality in assertions. */
export function plain(rows: Map<RowKey, Row>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, row] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) out[key] = { ...row };
  return out;
}

let counter = 0;
function uniqueSuffix(): string {
  counter++;
  return `${process.pid}-${counter}`;
}

export { startEmbeddedS3 };
