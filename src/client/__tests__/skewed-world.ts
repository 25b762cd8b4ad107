import { MemoryAdapter } from '../../adapter/memory-adapter';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import { createWireHandler } from '../../gateway/wire-handler';
import { ManualClock, ManualTimers } from '../../ports/manual';
import { MemoryQueue } from '../../queue/memory-queue';
import { unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';

/** The gateway's wall clock at the start of a skewed world. */
export const T = 1_700_000_000_000;

/**
 * A gateway on a manual clock at `T` and one client per entry of `offsetsMs`, each on its own
 * manual clock `offsetMs` off the gateway's (positive: ahead). Shared by the writes-follow-reads
 * unit tests and the session properties.
 */
export async function skewedWorld(offsetsMs: Record<string, number>) {
  const gatewayClock = new ManualClock(T);
  const timers = new ManualTimers(gatewayClock);
  const lake = new MemoryAdapter({ clock: gatewayClock });
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: 'gw', clock: gatewayClock, timers, adapter: lake }),
  );
  const transport = createInProcessTransport(createWireHandler(gateway));
  const clocks = new Map<string, ManualClock>();
  const clients = new Map<string, SyncClient>();
  for (const [clientId, offsetMs] of Object.entries(offsetsMs)) {
    const clock = new ManualClock(T + offsetMs);
    clocks.set(clientId, clock);
    const queue = new MemoryQueue();
    const client = unwrapOrThrow(
      await SyncClient.open({ clientId, clock, timers: new ManualTimers(clock), transport, queue }),
    );
    clients.set(clientId, client);
  }
  const get = (clientId: string): SyncClient => {
    const client = clients.get(clientId);
    if (client === undefined) throw new Error(`no client ${clientId}`);
    return client;
  };
  /** Moves every clock (gateway's included) forward by the same amount. */
  const tick = (ms: number): void => {
    gatewayClock.advance(ms);
    for (const clock of clocks.values()) clock.advance(ms);
  };
  const syncAll = async (): Promise<void> => {
    for (const client of clients.values()) unwrapOrThrow(await client.syncOnce());
    for (const client of clients.values()) unwrapOrThrow(await client.syncOnce());
  };
  return { gateway, get, tick, syncAll, stats: () => gateway.stats() };
}
