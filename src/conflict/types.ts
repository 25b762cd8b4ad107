import type { HLCTimestamp } from '../hlc/types';

/**
 * The version of a write: its HLC, ties broken by the higher `clientId`. Compared
 * lexicographically by `compareVersions`.
 */
export interface Version {
  readonly hlc: HLCTimestamp;
  readonly clientId: string;
}

/** One column's current value and the version of the write that set it. */
export interface ColumnState {
  readonly value: unknown;
  readonly version: Version;
}

/**
 * The per-row element of the column-level LWW lattice: per column the winning `{value, version}`,
 * plus the row's tombstone version (the newest DELETE seen, or `null`). Columns whose version is not
 * newer than the tombstone are pruned, so two replicas that saw the same deltas hold structurally
 * equal states. Columns live in a `Map`, so names like `__proto__` are ordinary keys.
 */
export interface RowState {
  readonly table: string;
  readonly rowId: string;
  readonly columns: Map<string, ColumnState>;
  tombstone: Version | null;
}
