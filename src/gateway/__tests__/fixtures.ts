import { MemoryAdapter } from '../../adapter/memory-adapter';
import type { LakeAdapter } from '../../adapter/types';
import { makeDelta } from '../../delta/delta-id';
import type { ColumnDelta, DeltaOp, RowDelta } from '../../delta/types';
import { HLC } from '../../hlc/hlc';
import type { HLCTimestamp } from '../../hlc/types';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { SyncPush } from '../../proto/types';
import { AdapterError } from '../../result/errors';
import { Err, unwrapOrThrow } from '../../result/result';
import { SyncGateway } from '../gateway';
import type { GatewayOptions } from '../options';

/** A gateway on manual time over an in-memory lake, plus the knobs tests turn. */
export async function gatewayWorld(options: Partial<GatewayOptions> = {}, adapter?: LakeAdapter) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const lake = adapter ?? new MemoryAdapter({ clock });
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: 'gw-1', clock, timers, adapter: lake, options }),
  );
  return { clock, timers, lake, gateway };
}

/** Stamps deltas for one client with its own HLC on the given clock. */
export function deltaWriter(clientId: string, clock: ManualClock) {
  const hlc = new HLC(clock);
  return (
    op: DeltaOp,
    rowId: string,
    values: Record<string, unknown> = {},
    table = 'todos',
  ): RowDelta => {
    const columns: ColumnDelta[] = Object.entries(values).map(([column, value]) => ({
      column,
      value,
    }));
    return makeDelta({ op, table, rowId, clientId, columns, hlc: hlc.now() });
  };
}

/** A push of `deltas` by their (single) client. */
export function pushOf(deltas: readonly RowDelta[], baseHlc = 0n): SyncPush {
  return {
    clientId: deltas[0]?.clientId ?? 'nobody',
    deltas,
    lastSeenHlc: HLC.ZERO,
    baseHlc: baseHlc as HLCTimestamp,
  };
}

/** Wraps an adapter so tests can fail puts, or let a put land and lose its reply. */
export class FlakyAdapter implements LakeAdapter {
  failNextPuts = 0;
  loseNextReplies = 0;
  puts = 0;
  readonly inner: LakeAdapter;

  constructor(inner: LakeAdapter) {
    this.inner = inner;
  }

  async putObject(path: string, data: Uint8Array, contentType?: string) {
    this.puts++;
    if (this.failNextPuts > 0) {
      this.failNextPuts--;
      return Err(new AdapterError(`injected put failure for ${path}`));
    }
    const written = await this.inner.putObject(path, data, contentType);
    if (written.ok && this.loseNextReplies > 0) {
      this.loseNextReplies--;
      return Err(new AdapterError(`injected lost reply for ${path}`));
    }
    return written;
  }
  failNextGets = 0;

  async getObject(path: string) {
    if (this.failNextGets > 0) {
      this.failNextGets--;
      return Err(new AdapterError(`injected get failure for ${path}`));
    }
    return this.inner.getObject(path);
  }
  headObject(path: string) {
    return this.inner.headObject(path);
  }
  listObjects(prefix: string) {
    return this.inner.listObjects(prefix);
  }
  deleteObject(path: string) {
    return this.inner.deleteObject(path);
  }
  deleteObjects(paths: string[]) {
    return this.inner.deleteObjects(paths);
  }
}
