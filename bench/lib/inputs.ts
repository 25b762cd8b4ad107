import seedrandom from 'seedrandom';
import { makeDelta } from '../../src/delta/delta-id';
import type { ColumnDelta, RowDelta } from '../../src/delta/types';
import { HLC } from '../../src/hlc/hlc';
import type { HLCTimestamp } from '../../src/hlc/types';
import type { SyncPush } from '../../src/proto/types';

/**
 * Seeded benchmark inputs. Every input comes from `seedrandom(seed)`, so the same options give the
 * same deltas on every run and on both runtimes, and a subject and its baseline always see the
 * same data.
 */

/** The shape of a generated stream of deltas. */
export interface WorkloadShape {
  /** Names the PRNG stream; change it to get a different but equally shaped input. */
  readonly seed: string;
  readonly count: number;
  readonly clients: number;
  readonly tables: readonly string[];
  readonly rowsPerTable: number;
  /** Share of writes aimed at the first `hotRows` rows of a table (conflicts). */
  readonly hotShare: number;
  readonly hotRows: number;
  /** Probability that a write to an already written row is a DELETE. */
  readonly deleteProbability: number;
  /** The HLC wall part advances one ms every `deltasPerMs` deltas (the counter counts within). */
  readonly deltasPerMs: number;
  readonly startWallMs: number;
  /**
   * `sha256`: real ids via `makeDelta` (what a client sends). `synthetic`: distinct 64-character
   * hex strings derived from the position, for inputs too large to hash up front, used only where
   * the code under test never recomputes the id (the buffer's `append`, the codec).
   */
  readonly ids: 'sha256' | 'synthetic';
}

/** Defaults for everything but the seed and count: 3 tables of 1,000 rows, 8 clients, 5 % deletes. */
export function workload(
  overrides: Partial<WorkloadShape> & { seed: string; count: number },
): WorkloadShape {
  return {
    clients: 8,
    tables: ['todos', 'notes', 'tags'],
    rowsPerTable: 1_000,
    hotShare: 0.3,
    hotRows: 16,
    deleteProbability: 0.05,
    deltasPerMs: 8,
    startWallMs: 1_700_000_000_000,
    ids: 'sha256',
    ...overrides,
  };
}

/** The last HLC wall time (ms) a stream of this shape uses. */
export function lastWallMs(shape: WorkloadShape): number {
  return shape.startWallMs + Math.floor(Math.max(0, shape.count - 1) / shape.deltasPerMs);
}

/**
 * Generates `shape.count` deltas: the first `shape.count` of `new DeltaStream(shape)`.
 */
export function generateDeltas(shape: WorkloadShape): RowDelta[] {
  return new DeltaStream(shape).next(shape.count);
}

/**
 * The seeded stream of deltas of a workload, drawn on demand so that a benchmark can make a batch
 * of fresh delta objects just before timing it (as a gateway gets them fresh from the decoder).
 * HLCs strictly increase along the stream (so each client's own deltas are in push order); every
 * INSERT/UPDATE carries two small columns, `done` (boolean) and `title` (a short string); the first
 * write to a row is an INSERT, later ones UPDATE or DELETE. The same shape always yields the same
 * sequence, however it is split into batches.
 */
export class DeltaStream {
  readonly #shape: WorkloadShape;
  readonly #prng: seedrandom.PRNG;
  readonly #clientIds: readonly string[];
  /**
   * Row ids, each built once. A template literal makes a new concatenated string every time, which
   * Bun keeps as a rope until first compared; the decoder hands the gateway flat strings (shared
   * ones, through its intern table), so a rope per delta would bill merges for work a gateway
   * never does.
   */
  readonly #rowIds: string[] = [];
  readonly #written = new Set<string>();
  #position = 0;

  constructor(shape: WorkloadShape) {
    this.#shape = shape;
    this.#prng = seedrandom(shape.seed);
    this.#clientIds = Array.from({ length: shape.clients }, (_, index) => `client-${index}`);
  }

  /** Deltas drawn so far. */
  get position(): number {
    return this.#position;
  }

  /** The next `count` deltas of the stream. */
  next(count: number): RowDelta[] {
    const deltas: RowDelta[] = new Array(count);
    for (let offset = 0; offset < count; offset++) deltas[offset] = this.#draw(this.#position++);
    return deltas;
  }

  #rowId(row: number): string {
    const rowId = `row-${row}`;
    this.#rowIds[row] = rowId;
    return rowId;
  }

  #draw(index: number): RowDelta {
    const shape = this.#shape;
    const prng = this.#prng;
    const pick = (bound: number): number => Math.floor(prng() * bound);
    const table = shape.tables[pick(shape.tables.length)]!;
    const hot = prng() < shape.hotShare;
    const row = hot ? pick(Math.min(shape.hotRows, shape.rowsPerTable)) : pick(shape.rowsPerTable);
    const rowId = this.#rowIds[row] ?? this.#rowId(row);
    const clientId = this.#clientIds[pick(this.#clientIds.length)]!;
    const hlc = HLC.encode(
      shape.startWallMs + Math.floor(index / shape.deltasPerMs),
      index % shape.deltasPerMs,
    );
    const key = `${table}:${rowId}`;
    const seen = this.#written.has(key);
    const op = !seen ? 'INSERT' : prng() < shape.deleteProbability ? 'DELETE' : 'UPDATE';
    this.#written.add(key);
    const columns: ColumnDelta[] =
      op === 'DELETE'
        ? []
        : [
            { column: 'done', value: prng() < 0.5 },
            { column: 'title', value: `task ${pick(100_000)}` },
          ];
    // Both branches build the same object literal shape as `makeDelta` (same keys, same order):
    // a delta built another way (say with spread) gets another hidden class, and code that has
    // seen several shapes runs measurably slower, which would skew a comparison.
    return shape.ids === 'sha256'
      ? makeDelta({ op, table, rowId, clientId, columns, hlc })
      : { op, table, rowId, clientId, columns, hlc, deltaId: syntheticId(index) };
  }
}

/** A distinct 64-character lower-case hex string for position `index`. */
export function syntheticId(index: number): string {
  return index.toString(16).padStart(64, '0');
}

/**
 * Groups a stream into pushes the way clients send them: each client's own deltas, oldest first,
 * in batches of at most `batchSize`, ordered by the HLC of their first delta. `baseHlc` is the HLC
 * of the client's delta just before the batch (0 for its first), as a client that has seen every
 * earlier batch accepted would send.
 */
export function toPushes(deltas: readonly RowDelta[], batchSize: number): SyncPush[] {
  const perClient = new Map<string, RowDelta[]>();
  for (const delta of deltas) {
    const own = perClient.get(delta.clientId);
    if (own === undefined) perClient.set(delta.clientId, [delta]);
    else own.push(delta);
  }
  const pushes: SyncPush[] = [];
  for (const [clientId, own] of perClient) {
    let baseHlc = HLC.ZERO;
    for (let start = 0; start < own.length; start += batchSize) {
      const batch = own.slice(start, start + batchSize);
      pushes.push({ clientId, deltas: batch, lastSeenHlc: HLC.ZERO, baseHlc });
      baseHlc = batch[batch.length - 1]!.hlc;
    }
  }
  return pushes.sort((a, b) => compareHlc(a.deltas[0]!.hlc, b.deltas[0]!.hlc));
}

function compareHlc(a: HLCTimestamp, b: HLCTimestamp): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
