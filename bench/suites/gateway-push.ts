import * as Y from 'yjs';
import { MemoryAdapter } from '../../src/adapter/memory-adapter';
import { SyncGateway } from '../../src/gateway/gateway';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { decodeSyncPush, encodeSyncPush } from '../../src/proto/codec';
import type { SyncPush } from '../../src/proto/types';
import { generateDeltas, lastWallMs, toPushes, workload } from '../lib/inputs';
import { consume, measurePair } from '../lib/measure';
import { atLeast, rowFromQuantities } from '../lib/stats';
import type { Suite } from '../lib/suite';

const DELTAS_PER_SESSION = 5_000;
const DELTAS_PER_SESSION_QUICK = 400;
const PUSH_BATCH = 100;
/** Far above anything a session buffers, so no flush (by size or age) and no backpressure. */
const NEVER = 1e15;

/**
 * `SyncGateway.handlePush` of decoded 100-delta pushes from 8 clients, against Yjs applying the
 * same column writes: one `Y.Map` per row in one `Y.Doc`, one `transact` per push, `clear` for a
 * DELETE. Each sample is a session: a fresh gateway (or document) takes every push once. The
 * gateway runs over a `MemoryAdapter` with a manual clock that never moves, and flush thresholds
 * so large that no flush runs. Two rows (ADR-016):
 * - the acknowledgement path: `handlePush` alone (shape checks, dedupe by watermark, admission);
 *   the `deltaId`s are verified later, before anything reads the log or the index;
 * - the whole ingest: the same pushes, then one read of the log, which verifies every id (canonical
 *   JSON + SHA-256), appends to the log and merges into the index. What the gateway's CPU pays per
 *   delta, whichever request ends up paying it.
 */
export const gatewayPushSuite: Suite = {
  id: 'gateway-push',
  title: 'Gateway handlePush vs Yjs',
  async run(context) {
    const count = context.quick ? DELTAS_PER_SESSION_QUICK : DELTAS_PER_SESSION;
    const shape = workload({
      seed: 'bench/gateway-push',
      count,
      rowsPerTable: Math.ceil(count / 30),
    });
    const pushes = toPushes(generateDeltas(shape), PUSH_BATCH).map(redecode);
    const clockMs = lastWallMs(shape) + 1;
    await checkEveryDeltaAccepted(pushes, count, clockMs);
    let gateway: SyncGateway | null = null;
    let doc = new Y.Doc();
    const yjs = {
      label: 'Yjs Y.Map per row',
      opsPerSample: count,
      prepare: () => {
        doc.destroy();
        doc = new Y.Doc();
      },
      run: () => {
        for (const push of pushes) applyWithYjs(doc, push);
        consume(doc.share.size);
      },
    };
    const session = (label: string, verify: boolean) => ({
      label,
      opsPerSample: count,
      prepareAsync: async () => {
        gateway?.close();
        gateway = await openBenchGateway(clockMs);
      },
      run: () => {
        let accepted = 0;
        for (const push of pushes) if (gateway!.handlePush(push).ok) accepted++;
        if (verify) accepted += gateway!.stats().logLength;
        consume(accepted);
      },
    });
    const ackPath = await measurePair(
      session('SyncGateway.handlePush', false),
      yjs,
      context.budget,
    );
    const ingest = await measurePair(
      session('handlePush + verify, log, index', true),
      yjs,
      context.budget,
    );
    (gateway as SyncGateway | null)?.close();
    const note = `Sessions of ${count.toLocaleString('en-GB')} deltas in ${pushes.length} pushes of ≤ ${PUSH_BATCH} from ${shape.clients} clients over ${(shape.tables.length * shape.rowsPerTable).toLocaleString('en-GB')} rows; rates are per delta.`;
    return {
      rows: [
        rowFromQuantities({
          id: 'gateway.handle-push',
          suite: this.id,
          title: 'Gateway handlePush of decoded pushes (acknowledgement path)',
          subject: ackPath.subject,
          baseline: ackPath.baseline,
          ratioText: 'handlePush deltas/s ÷ Yjs deltas/s',
          target: atLeast(2, '≥ 2 × Yjs'),
          note: `${note} Ids are verified off this path, before the log, the index or the lake see the deltas (ADR-016); the next row includes that work.`,
        }),
        rowFromQuantities({
          id: 'gateway.ingest',
          suite: this.id,
          title: 'Gateway ingest of decoded pushes (handlePush + id verification, log, index)',
          subject: ingest.subject,
          baseline: ingest.baseline,
          ratioText: 'ingest deltas/s ÷ Yjs deltas/s',
          target: atLeast(1, '≥ 1 × Yjs'),
          note: `${note} Every deltaId recomputed (canonical JSON + SHA-256), then logged and merged into the index.`,
        }),
      ],
    };
  },
};

/** Applies one push's column writes to `doc`: one top-level `Y.Map` per row, one transaction. */
export function applyWithYjs(doc: Y.Doc, push: SyncPush): void {
  doc.transact(() => {
    for (const delta of push.deltas) {
      const row = doc.getMap<unknown>(`${delta.table}:${delta.rowId}`);
      if (delta.op === 'DELETE') row.clear();
      for (const change of delta.columns) row.set(change.column, change.value);
    }
  });
}

/** A fresh gateway over an empty `MemoryAdapter`, its manual clock at `clockMs`, never flushing. */
export async function openBenchGateway(clockMs: number): Promise<SyncGateway> {
  const clock = new ManualClock(clockMs);
  const opened = await SyncGateway.open({
    gatewayId: 'bench',
    clock,
    timers: new ManualTimers(clock),
    adapter: new MemoryAdapter({ clock }),
    options: { flushBytesThreshold: NEVER, flushAgeMs: NEVER, bufferBytesMax: NEVER },
  });
  if (!opened.ok) throw new Error(`bench: cannot open a gateway: ${opened.error.message}`);
  return opened.value;
}

/** Before timing: one session must accept every push and log every delta, or the bench is void. */
async function checkEveryDeltaAccepted(
  pushes: readonly SyncPush[],
  count: number,
  clockMs: number,
): Promise<void> {
  const gateway = await openBenchGateway(clockMs);
  for (const push of pushes) {
    const reply = gateway.handlePush(push);
    if (!reply.ok)
      throw new Error(`gateway-push: a seeded push was refused: ${reply.error.message}`);
  }
  const logged = gateway.stats().logLength;
  gateway.close();
  if (logged !== count) throw new Error(`gateway-push: ${logged} of ${count} deltas were logged`);
}

/** The push as the gateway receives it from the wire: encoded, then decoded. */
function redecode(push: SyncPush): SyncPush {
  const decoded = decodeSyncPush(encodeSyncPush(push));
  if (!decoded.ok)
    throw new Error(`gateway-push: a seeded push does not decode: ${decoded.error.message}`);
  return decoded.value;
}
