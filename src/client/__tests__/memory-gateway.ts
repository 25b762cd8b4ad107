import { MemoryAdapter } from '../../adapter/memory-adapter';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import { createWireHandler } from '../../gateway/wire-handler';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { Transport } from '../../ports/transport';
import { unwrapOrThrow } from '../../result/result';

/** A gateway over an in-memory lake on a manual clock, reached in process: what client tests sync with. */
export interface MemoryGatewayWorld {
  readonly clock: ManualClock;
  readonly timers: ManualTimers;
  readonly gateway: SyncGateway;
  /** The gateway's wire handler behind an in-process transport (bytes encoded both ways). */
  readonly transport: Transport;
}

export async function memoryGateway(): Promise<MemoryGatewayWorld> {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      gatewayId: 'gw',
      clock,
      timers,
      adapter: new MemoryAdapter({ clock }),
    }),
  );
  return {
    clock,
    timers,
    gateway,
    transport: createInProcessTransport(createWireHandler(gateway)),
  };
}
