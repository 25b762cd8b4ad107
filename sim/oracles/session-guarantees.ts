import type { ReplicaEvent } from '../../src/client/replica-event';
import type { ColumnState, RowState, Version } from '../../src/conflict/types';
import type { RowDelta } from '../../src/delta/types';
import { assert } from '../../src/result/assert';
import type { OracleName } from '../types';
import { describeHlc } from './describe';
import { canonicalValue } from './rows-view';

/** A version as the oracle reports it: `(hlc, clientId)`, compared by `compareParts`. */
interface ShownVersion {
  readonly hlc: bigint;
  readonly clientId: string;
}

/**
 * The versions one replica showed for one row: per column, in the order first shown (a column
 * that vanishes leaves, a new one goes last), its name and version as three parts of `versions`
 * (see `ShownParts`); and its tombstone's version (`tombstoneHlc` is `null` when there is none).
 *
 * The oracle's own copies of the parts, never the replica's version objects, so code that changed
 * a replica's version in place would still be seen; overwritten in place when the replica shows a
 * new version, so a check allocates nothing for unchanged or changed columns. One flat array of
 * parts, not a map of version objects nor three parallel arrays: a row has a handful of columns,
 * and this runs for every row of every batch a session merges, so every object (and cache line)
 * a check need not reach is a miss saved.
 */
interface ShownRow {
  readonly table: string;
  readonly rowId: string;
  /** Replaced, not grown, when columns are added (see `recordNewColumns`). */
  versions: ShownParts;
  tombstoneHlc: bigint | null;
  /** The tombstone's client id; meaningless while `tombstoneHlc` is `null`. */
  tombstoneClientId: string;
  /** The batch (`SessionWatch` serial) that last checked the row: each is checked once per batch. */
  checkedIn: number;
}

/**
 * Column `k` of a shown row is `[3k]` its name, `[3k + 1]` its version's HLC and `[3k + 2]` its
 * version's client id (read through `nameAt`, `hlcAt` and `clientIdAt`).
 */
type ShownParts = (string | bigint)[];

/** Parts per column in `ShownParts`. */
const PARTS = 3;

function nameAt(parts: ShownParts, at: number): string {
  return parts[at] as string;
}

function hlcAt(parts: ShownParts, at: number): bigint {
  return parts[at + 1] as bigint;
}

function clientIdAt(parts: ShownParts, at: number): string {
  return parts[at + 2] as string;
}

/**
 * Which deltas each session was delivered by the log path, and in which of its epochs: one record
 * shared by every session of a run (`SessionWatch`'s redelivery check), not a set per session.
 * Every session is delivered the same deltas at about the same time, so one map of them stays in
 * cache where twenty sets of the same ids would not. `delivered` answers what a set per session,
 * emptied when its epoch changes, answers (was the delta added since it was last emptied?).
 */
export class DeliveryRecord {
  /** deltaId → by session slot, the serial of the session's epoch it was last delivered in. */
  readonly #epochs = new Map<string, number[]>();
  #slots = 0;

  /** A slot for a new session. */
  join(): number {
    return this.#slots++;
  }

  /**
   * Records that session `slot` was delivered `deltaId` in its epoch `epochSerial` (≥ 1); true
   * iff it had already been delivered in that epoch.
   */
  delivered(deltaId: string, slot: number, epochSerial: number): boolean {
    let epochs = this.#epochs.get(deltaId);
    if (epochs === undefined) {
      epochs = [];
      this.#epochs.set(deltaId, epochs);
    }
    if (epochs[slot] === epochSerial) return true;
    epochs[slot] = epochSerial;
    return false;
  }
}

/** A broken session guarantee, before the run stamps it with the virtual time. */
export interface SessionProblem {
  readonly oracle: OracleName;
  readonly message: string;
}

/**
 * The session-guarantee oracles of one client session (one `SyncClient` instance: a restart or a
 * second sync loop is a new session), fed every batch merged into its replica (`onApplied`):
 *
 * - **writes follow reads**: a write's version exceeds every version the replica showed for the
 *   row when the write was issued (else the write loses to what its writer had already seen: an
 *   edit reverted). The simulator tells `writeIssued`; a write shows only once the outbox has it,
 *   and a version pulled in between is concurrent with it, not seen by its writer;
 * - **read your writes**: right after a write the replica shows exactly the written values (the
 *   row gone, for a delete), unless a higher version arrived while the write was in flight;
 *   afterwards only a higher version may replace them, which monotonic reads checks;
 * - **monotonic reads**: the version covering each column the replica showed (its own or the
 *   row's tombstone) never goes down, snapshots after a gateway restart included;
 * - **redelivery**: within one gateway epoch, no delta arrives twice by the log path (bound 0;
 *   snapshot pages are exempt: they rebuild state on purpose).
 *
 * Incremental: each batch costs O(rows it touches); a snapshot page also re-reads the rows this
 * session showed before (a snapshot is where a row could vanish). Versions and values are read
 * through the replica's public reader and compared here, not with `src/` code.
 */
export class SessionWatch {
  readonly session: string;
  /** Deltas delivered a second time by the log path within one epoch (any beyond 0 fails). */
  redeliveries = 0;
  /** What the replica showed, by table then row id (no row key string built per delta). */
  readonly #shown = new Map<string, Map<string, ShownRow>>();
  /** The same rows in the order first shown: a snapshot page re-reads them in this order. */
  readonly #order: ShownRow[] = [];
  /** Counts `applied` calls; a row whose `checkedIn` equals it was checked in this batch. */
  #serial = 0;
  #epoch: bigint | null = null;
  /** Counts the gateway epochs this session was delivered deltas in (see `DeliveryRecord`). */
  #epochSerial = 0;
  readonly #deliveries: DeliveryRecord;
  readonly #slot: number;
  /**
   * Per row, oldest first, the newest version the replica showed when each write still in flight
   * was issued (`null`: none). A write stamps when it is issued and shows once the outbox has it,
   * which takes time; what arrives in between is concurrent with it, not something its writer saw.
   */
  readonly #issued = new Map<string, Map<string, (ShownVersion | null)[]>>();

  /** `deliveries`: shared by every session of a run (a session alone may have its own). */
  constructor(session: string, deliveries: DeliveryRecord = new DeliveryRecord()) {
    this.session = session;
    this.#deliveries = deliveries;
    this.#slot = deliveries.join();
  }

  /** The app issued a write for the row (it shows, or is refused, later). */
  writeIssued(table: string, rowId: string): void {
    const known = this.#shown.get(table)?.get(rowId);
    let rows = this.#issued.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.#issued.set(table, rows);
    }
    const bounds = rows.get(rowId);
    const bound = known === undefined ? null : newestOf(known);
    if (bounds === undefined) rows.set(rowId, [bound]);
    else bounds.push(bound);
  }

  /** A write issued for the row ended without showing (refused, or nothing to write). */
  writeAbandoned(table: string, rowId: string): void {
    this.#takeIssued(table, rowId);
  }

  /**
   * The bound recorded when the oldest write in flight for the row was issued; `undefined` when
   * none was recorded (a write the simulator's plan did not issue), so the caller uses what the
   * replica shows now.
   */
  #takeIssued(table: string, rowId: string): ShownVersion | null | undefined {
    const rows = this.#issued.get(table);
    const bounds = rows?.get(rowId);
    if (bounds === undefined) return undefined;
    const bound = bounds.shift();
    if (bounds.length === 0) rows?.delete(rowId);
    return bound;
  }

  /** Checks one merged batch; returns the problems found (usually none). */
  applied(event: ReplicaEvent, atMs: number): SessionProblem[] {
    const problems: SessionProblem[] = [];
    if (event.source === 'pull') this.#countRedelivery(event, atMs, problems);
    const serial = ++this.#serial;
    const isWrite = event.source === 'write';
    // The rows of the table of the delta before: a batch's deltas mostly share a few tables.
    let table: string | null = null;
    let rows: Map<string, ShownRow> | undefined;
    for (const delta of event.deltas) {
      if (delta.table !== table) {
        table = delta.table;
        rows = this.#shown.get(table);
      }
      const shown = rows?.get(delta.rowId);
      if (shown !== undefined && shown.checkedIn === serial) continue;
      const written = isWrite ? delta : null;
      this.#checkRow(event, delta.table, delta.rowId, shown, written, serial, atMs, problems);
      // A first row of its table made the table's map.
      if (rows === undefined) rows = this.#shown.get(delta.table);
    }
    if (event.source === 'snapshot') {
      for (const shown of this.#order) {
        if (shown.checkedIn === serial) continue;
        this.#checkRow(event, shown.table, shown.rowId, shown, null, serial, atMs, problems);
      }
    }
    return problems;
  }

  #checkRow(
    event: ReplicaEvent,
    table: string,
    rowId: string,
    known: ShownRow | undefined,
    written: RowDelta | null,
    serial: number,
    atMs: number,
    problems: SessionProblem[],
  ): void {
    const state = event.replica.state(table, rowId);
    // Copies: recording `state` below updates the shown versions in place.
    const shownNow = written === null || known === undefined ? null : newestOf(known);
    const issued = written === null ? undefined : this.#takeIssued(table, rowId);
    const seen = issued === undefined ? shownNow : issued;
    const shown = known ?? this.#record(table, rowId);
    shown.checkedIn = serial;
    const regression = checkAndRecord(shown, state);
    if (regression !== null) {
      problems.push({
        oracle: 'monotonic-reads',
        message: `${this.session} row ${table}:${rowId} at ${atMs} ms (${event.source}): ${regression}`,
      });
    }
    if (written === null) return;
    if (
      seen !== null &&
      compareParts(written.hlc, written.clientId, seen.hlc, seen.clientId) <= 0
    ) {
      problems.push({
        oracle: 'writes-follow-reads',
        message: `${this.#where(table, rowId, atMs)}: ${written.op} stamped ${describeVersion(written)}, not above ${describeVersion(seen)} that its replica showed for the row before the write (the edit loses to what its writer had seen)`,
      });
      return;
    }
    // A newer version shown while the write was in flight (a concurrent edit pulled meanwhile)
    // rightly wins over it; monotonic reads has checked the replica did not go back.
    const overtaken =
      shownNow !== null &&
      compareParts(shownNow.hlc, shownNow.clientId, written.hlc, written.clientId) > 0;
    const stale = overtaken ? null : staleRead(written, event.replica.get(table, rowId));
    if (stale !== null) {
      const newest = newestOf(shown);
      problems.push({
        oracle: 'read-your-writes',
        message: `${this.#where(table, rowId, atMs)}: right after its ${written.op} at ${describeVersion(written)} the replica shows ${stale} (newest version ${newest === null ? 'none' : describeVersion(newest)})`,
      });
    }
  }

  /** Where a write's problem was seen, for its message (built only when there is one). */
  #where(table: string, rowId: string, atMs: number): string {
    return `${this.session} row ${table}:${rowId} at ${atMs} ms`;
  }

  /** A row shown for the first time: recorded with no versions yet. */
  #record(table: string, rowId: string): ShownRow {
    let rows = this.#shown.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.#shown.set(table, rows);
    }
    const shown: ShownRow = {
      table,
      rowId,
      versions: [],
      tombstoneHlc: null,
      tombstoneClientId: '',
      checkedIn: 0,
    };
    rows.set(rowId, shown);
    this.#order.push(shown);
    return shown;
  }

  #countRedelivery(event: ReplicaEvent, atMs: number, problems: SessionProblem[]): void {
    if (this.#epoch !== event.gatewayEpoch) {
      this.#epoch = event.gatewayEpoch;
      this.#epochSerial++;
    }
    const deliveries = this.#deliveries;
    const slot = this.#slot;
    const epochSerial = this.#epochSerial;
    for (const delta of event.deltas) {
      if (!deliveries.delivered(delta.deltaId, slot, epochSerial)) continue;
      this.redeliveries++;
      if (this.redeliveries > 1) continue; // one report per session; the count goes on
      problems.push({
        oracle: 'redelivery',
        message: `${this.session} at ${atMs} ms: delta ${delta.deltaId.slice(0, 12)} (${delta.clientId} ${delta.table}:${delta.rowId} hlc ${describeHlc(delta.hlc)}) delivered again by the log within gateway epoch ${describeHlc(event.gatewayEpoch)} (bound: 0 outside snapshots)`,
      });
    }
  }
}

/** Compares two versions given as parts: by HLC, ties broken by client id. */
function compareParts(hlcA: bigint, clientA: string, hlcB: bigint, clientB: string): number {
  if (hlcA !== hlcB) return hlcA < hlcB ? -1 : 1;
  if (clientA === clientB) return 0;
  return clientA < clientB ? -1 : 1;
}

/**
 * Compares `state` with what the replica showed before (`shown`) and then records it there, in
 * one pass: returns the first column (or the tombstone) whose covering version — its own or the
 * tombstone's, the higher — is lower in `state` than in `shown`, or `null` when none is. `shown`
 * then holds the versions of `state` (allocating only for new columns: changed versions are
 * overwritten in place; columns keep their order, new ones after).
 */
function checkAndRecord(shown: ShownRow, state: RowState | undefined): string | null {
  const tombstone = state?.tombstone ?? null;
  const beforeHlc = shown.tombstoneHlc;
  const beforeClientId = shown.tombstoneClientId;
  let regression: string | null = null;
  if (
    beforeHlc !== null &&
    (tombstone === null ||
      compareParts(tombstone.hlc, tombstone.clientId, beforeHlc, beforeClientId) < 0)
  ) {
    regression = `tombstone went back from ${describeParts(beforeHlc, beforeClientId)} to ${tombstone === null ? 'none' : describeVersion(tombstone)}`;
  }
  const columns = state?.columns;
  const versions = shown.versions;
  const length = versions.length;
  // Columns still shown are moved down over those that vanished (`kept` ≤ `at`), in one pass.
  let kept = 0;
  for (let at = 0; at < length; at += PARTS) {
    const name = nameAt(versions, at);
    const version = columns?.get(name)?.version;
    // Unchanged: not gone back (a tombstone that went back is reported above).
    if (
      version !== undefined &&
      hlcAt(versions, at) === version.hlc &&
      clientIdAt(versions, at) === version.clientId
    ) {
      if (kept !== at) {
        versions[kept] = name;
        versions[kept + 1] = hlcAt(versions, at);
        versions[kept + 2] = clientIdAt(versions, at);
      }
      kept += PARTS;
      continue;
    }
    regression ??= columnRegression(shown, at, version, tombstone);
    if (version === undefined) continue;
    versions[kept] = name;
    versions[kept + 1] = version.hlc;
    versions[kept + 2] = version.clientId;
    kept += PARTS;
  }
  // `pop`, not a smaller `length`: the setter is a runtime call, dearer than a few pops.
  while (versions.length > kept) versions.pop();
  // Every shown column is in `state` now, so it has new ones iff it has more.
  if (columns !== undefined && columns.size * PARTS !== kept) recordNewColumns(shown, columns);
  shown.tombstoneHlc = tombstone === null ? null : tombstone.hlc;
  if (tombstone !== null) shown.tombstoneClientId = tombstone.clientId;
  return regression;
}

/**
 * Appends the columns of `columns` that `shown` lacks, in `columns`' order; every column `shown`
 * holds is in `columns` (the caller removed the others). The three arrays are replaced by arrays
 * of their exact new length rather than grown by `push`: they live as long as the session (most
 * of a run), and an array grown from empty holds room for 17 items, which made them the largest
 * state a run keeps (the collector copies it twice on its way to the old generation). The map is
 * walked by its keys: iterating its entries would build an array per column.
 */
function recordNewColumns(shown: ShownRow, columns: RowState['columns']): void {
  const before = shown.versions;
  const known = before.length;
  const total = columns.size * PARTS;
  const versions: ShownParts = new Array<string | bigint>(total);
  for (let at = 0; at < known; at++) versions[at] = before[at] as string | bigint;
  let next = known;
  for (const column of columns.keys()) {
    if (known > 0 && shows(before, column)) continue;
    const { version } = columns.get(column) as ColumnState;
    versions[next] = column;
    versions[next + 1] = version.hlc;
    versions[next + 2] = version.clientId;
    next += PARTS;
  }
  assert(next === total, 'recordNewColumns: a shown column is missing from the state');
  shown.versions = versions;
}

/** Whether `versions` has a column named `column`. */
function shows(versions: ShownParts, column: string): boolean {
  for (let at = 0; at < versions.length; at += PARTS) {
    if (nameAt(versions, at) === column) return true;
  }
  return false;
}

/**
 * Whether the column at part `at` of `shown` (before it is recorded again) went back: its covering
 * version then — its own or the tombstone's, the higher — against the one `state` gives it now
 * (`version`, or `tombstone`, the higher; nothing when both are absent). A message when it did,
 * else `null`.
 */
function columnRegression(
  shown: ShownRow,
  at: number,
  version: Version | undefined,
  tombstone: Version | null,
): string | null {
  let wasHlc = hlcAt(shown.versions, at);
  let wasClientId = clientIdAt(shown.versions, at);
  const beforeHlc = shown.tombstoneHlc;
  if (
    beforeHlc !== null &&
    compareParts(wasHlc, wasClientId, beforeHlc, shown.tombstoneClientId) < 0
  ) {
    wasHlc = beforeHlc;
    wasClientId = shown.tombstoneClientId;
  }
  const now = higher(version ?? null, tombstone);
  if (now !== null && compareParts(now.hlc, now.clientId, wasHlc, wasClientId) >= 0) return null;
  return `column ${JSON.stringify(nameAt(shown.versions, at))} went back from version ${describeParts(wasHlc, wasClientId)} to ${now === null ? 'nothing' : describeVersion(now)}`;
}

/** The higher of two versions, either of which may be absent. */
function higher(a: Version | null, b: Version | null): Version | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareParts(a.hlc, a.clientId, b.hlc, b.clientId) >= 0 ? a : b;
}

/** A copy of the newest version `row` shows (a column's or the tombstone's), or `null`. */
function newestOf(row: ShownRow): ShownVersion | null {
  let hlc = row.tombstoneHlc;
  let clientId = row.tombstoneClientId;
  const versions = row.versions;
  for (let at = 0; at < versions.length; at += PARTS) {
    const columnHlc = hlcAt(versions, at);
    const columnClientId = clientIdAt(versions, at);
    if (hlc === null || compareParts(columnHlc, columnClientId, hlc, clientId) > 0) {
      hlc = columnHlc;
      clientId = columnClientId;
    }
  }
  return hlc === null ? null : { hlc, clientId };
}

/** What the visible row shows that differs from the write, or `null` when it shows the write. */
function staleRead(written: RowDelta, row: Record<string, unknown> | null): string | null {
  if (written.op === 'DELETE') return row === null ? null : 'the row still visible';
  if (row === null) return 'no row';
  for (const { column, value } of written.columns) {
    // The very value written (the common case) shows the write; anything else is compared by
    // its canonical text.
    if (Object.hasOwn(row, column) && row[column] === value) continue;
    const shown = Object.hasOwn(row, column) ? canonicalValue(row[column]) : 'nothing';
    if (shown !== canonicalValue(value)) {
      return `${JSON.stringify(column)} = ${shown.slice(0, 40)} instead of ${canonicalValue(value).slice(0, 40)}`;
    }
  }
  return null;
}

function describeVersion(version: ShownVersion): string {
  return describeParts(version.hlc, version.clientId);
}

function describeParts(hlc: bigint, clientId: string): string {
  return `${describeHlc(hlc)}/${clientId}`;
}
