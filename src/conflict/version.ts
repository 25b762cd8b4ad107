import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { Version } from './types';

/**
 * Orders two versions: by HLC, then by `clientId` (plain UTF-16 string order), the higher one
 * winning. Total and the same on every node, so last-write-wins picks the same winner everywhere.
 */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  return compareVersionParts(a.hlc, a.clientId, b.hlc, b.clientId);
}

/**
 * `compareVersions` on the parts, so hot paths can compare a delta against a stored version
 * without allocating a `Version` for the delta.
 */
export function compareVersionParts(
  hlcA: HLCTimestamp,
  clientIdA: string,
  hlcB: HLCTimestamp,
  clientIdB: string,
): -1 | 0 | 1 {
  // One BigInt comparison decides the usual case, a newer write (BigInt comparisons are slow on
  // Bun); equal HLCs then fall to the clientId.
  if (hlcA > hlcB) return 1;
  if (hlcA < hlcB) return -1;
  if (clientIdA === clientIdB) return 0;
  return clientIdA < clientIdB ? -1 : 1;
}

/** The version of the write a delta carries: its `(hlc, clientId)`. */
export function versionOf(delta: RowDelta): Version {
  return { hlc: delta.hlc, clientId: delta.clientId };
}

/** True iff both versions are the same write stamp. */
export function versionsEqual(a: Version, b: Version): boolean {
  return a.hlc === b.hlc && a.clientId === b.clientId;
}
