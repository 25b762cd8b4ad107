// The session-guarantee oracles as first written (string row keys, a \`Map\` of copied versions
// per row, a \`Set\` of touched keys per batch): the reference the incremental \`SessionWatch\`
// is checked against in session-guarantees-fast.test.ts. Kept verbatim but for its name.
import type { ReplicaEvent } from '../../../src/client/replica-event';
import type { RowState } from '../../../src/conflict/types';
import type { RowDelta } from '../../../src/delta/types';
import { describeHlc } from '../describe';
import { canonicalValue } from '../rows-view';
import type { SessionProblem } from '../session-guarantees';

/** A version as the oracle keeps it: `(hlc, clientId)`, compared by `compareShown`. */
interface ShownVersion {
  readonly hlc: bigint;
  readonly clientId: string;
}

/** The versions one replica showed for one row: per column, and its tombstone. */
interface ShownRow {
  readonly columns: Map<string, ShownVersion>;
  tombstone: ShownVersion | null;
}

/**
 * The session-guarantee oracles of one client session (one `SyncClient` instance: a restart or a
 * second sync loop is a new session), fed every batch merged into its replica (`onApplied`):
 *
 * - **writes follow reads**: a write's version exceeds every version the replica held for the
 *   row just before it (else the write loses to what its writer had already seen: an edit
 *   reverted);
 * - **read your writes**: right after a write the replica shows exactly the written values (the
 *   row gone, for a delete); afterwards only a higher version may replace them, which monotonic
 *   reads checks;
 * - **monotonic reads**: the version covering each column the replica showed (its own or the
 *   row's tombstone) never goes down, snapshots after a gateway restart included;
 * - **redelivery**: within one gateway epoch, no delta arrives twice by the log path (bound 0;
 *   snapshot pages are exempt: they rebuild state on purpose).
 *
 * Incremental: each batch costs O(rows it touches); a snapshot page also re-reads the rows this
 * session showed before (a snapshot is where a row could vanish). Versions and values are read
 * through the replica's public reader and compared here, not with `src/` code.
 */
export class SessionWatchByMaps {
  readonly session: string;
  /** Deltas delivered a second time by the log path within one epoch (any beyond 0 fails). */
  redeliveries = 0;
  readonly #shown = new Map<string, ShownRow>();
  #epoch: bigint | null = null;
  readonly #delivered = new Set<string>();

  constructor(session: string) {
    this.session = session;
  }

  /** Checks one merged batch; returns the problems found (usually none). */
  applied(event: ReplicaEvent, atMs: number): SessionProblem[] {
    const problems: SessionProblem[] = [];
    if (event.source === 'pull') this.#countRedelivery(event, atMs, problems);
    const touched = new Set<string>();
    for (const delta of event.deltas) {
      const key = `${delta.table}:${delta.rowId}`;
      if (touched.has(key)) continue;
      touched.add(key);
      const written = event.source === 'write' ? delta : null;
      this.#checkRow(event, key, delta.table, delta.rowId, written, atMs, problems);
    }
    if (event.source === 'snapshot') {
      for (const key of this.#shown.keys()) {
        if (touched.has(key)) continue;
        const colon = key.indexOf(':');
        this.#checkRow(event, key, key.slice(0, colon), key.slice(colon + 1), null, atMs, problems);
      }
    }
    return problems;
  }

  #checkRow(
    event: ReplicaEvent,
    key: string,
    table: string,
    rowId: string,
    written: RowDelta | null,
    atMs: number,
    problems: SessionProblem[],
  ): void {
    const state = event.replica.state(table, rowId);
    let shown = this.#shown.get(key);
    const seen = written === null || shown === undefined ? null : newestOf(shown);
    if (shown === undefined) {
      shown = { columns: new Map(), tombstone: null };
      this.#shown.set(key, shown);
    }
    const regression = checkAndRecord(shown, state);
    if (regression !== null) {
      problems.push({
        oracle: 'monotonic-reads',
        message: `${this.session} row ${key} at ${atMs} ms (${event.source}): ${regression}`,
      });
    }
    if (written === null) return;
    const version = { hlc: written.hlc, clientId: written.clientId };
    const where = `${this.session} row ${key} at ${atMs} ms`;
    if (seen !== null && compareShown(version, seen) <= 0) {
      problems.push({
        oracle: 'writes-follow-reads',
        message: `${where}: ${written.op} stamped ${describeVersion(version)}, not above ${describeVersion(seen)} that its replica showed for the row before the write (the edit loses to what its writer had seen)`,
      });
      return;
    }
    const stale = staleRead(written, event.replica.get(table, rowId));
    if (stale !== null) {
      const newest = newestOf(shown);
      problems.push({
        oracle: 'read-your-writes',
        message: `${where}: right after its ${written.op} at ${describeVersion(version)} the replica shows ${stale} (newest version ${newest === null ? 'none' : describeVersion(newest)})`,
      });
    }
  }

  #countRedelivery(event: ReplicaEvent, atMs: number, problems: SessionProblem[]): void {
    if (this.#epoch !== event.gatewayEpoch) {
      this.#epoch = event.gatewayEpoch;
      this.#delivered.clear();
    }
    for (const delta of event.deltas) {
      if (!this.#delivered.has(delta.deltaId)) {
        this.#delivered.add(delta.deltaId);
        continue;
      }
      this.redeliveries++;
      if (this.redeliveries > 1) continue; // one report per session; the count goes on
      problems.push({
        oracle: 'redelivery',
        message: `${this.session} at ${atMs} ms: delta ${delta.deltaId.slice(0, 12)} (${delta.clientId} ${delta.table}:${delta.rowId} hlc ${describeHlc(delta.hlc)}) delivered again by the log within gateway epoch ${describeHlc(event.gatewayEpoch)} (bound: 0 outside snapshots)`,
      });
    }
  }
}

function compareShown(a: ShownVersion, b: ShownVersion): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.clientId === b.clientId) return 0;
  return a.clientId < b.clientId ? -1 : 1;
}

/**
 * Compares `state` with what the replica showed before (`shown`) and then records it there, in
 * one pass: returns the first column (or the tombstone) whose covering version — its own or the
 * tombstone's, the higher — is lower in `state` than in `shown`, or `null` when none is. `shown`
 * then holds the versions of `state` (allocating only for changed columns; columns keep their
 * order, new ones after).
 */
function checkAndRecord(shown: ShownRow, state: RowState | undefined): string | null {
  const tombstone = state?.tombstone ?? null;
  const before = shown.tombstone;
  let regression: string | null = null;
  if (before !== null && (tombstone === null || compareShown(tombstone, before) < 0)) {
    regression = `tombstone went back from ${describeVersion(before)} to ${tombstone === null ? 'none' : describeVersion(tombstone)}`;
  }
  const columns = state?.columns;
  for (const [column, own] of shown.columns) {
    const version = columns?.get(column)?.version;
    // Unchanged: not gone back (a tombstone that went back is reported above).
    if (version !== undefined && sameVersion(own, version)) continue;
    if (regression === null) {
      const was = higher(own, before) as ShownVersion;
      const now = higher(version ?? null, tombstone);
      if (now === null || compareShown(now, was) < 0) {
        regression = `column ${JSON.stringify(column)} went back from version ${describeVersion(was)} to ${now === null ? 'nothing' : describeVersion(now)}`;
      }
    }
    if (version === undefined) shown.columns.delete(column);
    else shown.columns.set(column, { hlc: version.hlc, clientId: version.clientId });
  }
  if (columns !== undefined && columns.size !== shown.columns.size) {
    for (const [column, { version }] of columns) {
      if (!shown.columns.has(column)) {
        shown.columns.set(column, { hlc: version.hlc, clientId: version.clientId });
      }
    }
  }
  if (tombstone === null) shown.tombstone = null;
  else if (!sameVersion(before, tombstone)) {
    shown.tombstone = { hlc: tombstone.hlc, clientId: tombstone.clientId };
  }
  return regression;
}

function sameVersion(a: ShownVersion | null, b: ShownVersion): boolean {
  return a !== null && a.hlc === b.hlc && a.clientId === b.clientId;
}

/** The higher of two versions, either of which may be absent. */
function higher(a: ShownVersion | null, b: ShownVersion | null): ShownVersion | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareShown(a, b) >= 0 ? a : b;
}

function newestOf(row: ShownRow): ShownVersion | null {
  let newest = row.tombstone;
  for (const version of row.columns.values()) {
    if (newest === null || compareShown(version, newest) > 0) newest = version;
  }
  return newest;
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
  return `${describeHlc(version.hlc)}/${version.clientId}`;
}
