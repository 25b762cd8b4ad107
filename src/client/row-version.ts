import type { RowState } from '../conflict/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';

/**
 * The newest HLC a replica holds for a row: the maximum over its columns' versions and its
 * tombstone, or `HLC.ZERO` when the replica holds nothing for it. A write to the row is stamped
 * above this (ADR-013), so it beats everything its writer had seen of the row.
 */
export function rowVersionMax(state: RowState | null | undefined): HLCTimestamp {
  if (state === null || state === undefined) return HLC.ZERO;
  let newest: HLCTimestamp = state.tombstone === null ? HLC.ZERO : state.tombstone.hlc;
  for (const column of state.columns.values()) {
    if (column.version.hlc > newest) newest = column.version.hlc;
  }
  return newest;
}
