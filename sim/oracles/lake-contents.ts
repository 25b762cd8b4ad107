import type { LakeAdapter } from '../../src/adapter/types';
import { createRowState, mergeDelta } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { RowDelta } from '../../src/delta/types';
import { decodeEnvelope, ENVELOPE_PREFIX, type FlushEnvelope } from '../../src/gateway/envelope';

/** One envelope read back from the lake. */
export interface LakeEnvelope {
  readonly key: string;
  readonly envelope: FlushEnvelope;
}

/** Everything in the lake at the end of a run. */
export interface LakeContents {
  /** Every object (key → bytes), for the report and the real-S3 round trip. */
  readonly objects: Map<string, Uint8Array>;
  /** The decodable envelopes under `ENVELOPE_PREFIX`, in key order. */
  readonly envelopes: LakeEnvelope[];
  /** Objects that could not be listed, read or decoded, one sentence each. */
  readonly problems: string[];
}

/**
 * Reads every object of the store and decodes the envelopes (with the core's `decodeEnvelope`,
 * which also checks each `deltaId` against its content). Never throws; failures become
 * `problems`.
 */
export async function readLake(adapter: LakeAdapter): Promise<LakeContents> {
  const objects = new Map<string, Uint8Array>();
  const envelopes: LakeEnvelope[] = [];
  const problems: string[] = [];
  const listed = await adapter.listObjects('');
  if (!listed.ok)
    return { objects, envelopes, problems: [`cannot list the lake: ${listed.error.message}`] };
  for (const info of listed.value) {
    const got = await adapter.getObject(info.key);
    if (!got.ok) {
      problems.push(`cannot read ${info.key}: ${got.error.message}`);
      continue;
    }
    objects.set(info.key, got.value);
    if (!info.key.startsWith(ENVELOPE_PREFIX)) continue;
    const decoded = decodeEnvelope(got.value);
    if (decoded.ok) envelopes.push({ key: info.key, envelope: decoded.value });
    else problems.push(`envelope ${info.key} does not decode: ${decoded.error.message}`);
  }
  return { objects, envelopes, problems };
}

/** Every delta of every envelope, in key order then envelope order. */
export function lakeDeltas(envelopes: readonly LakeEnvelope[]): RowDelta[] {
  const deltas: RowDelta[] = [];
  for (const { envelope } of envelopes) for (const delta of envelope.deltas) deltas.push(delta);
  return deltas;
}

/** The state a replica holds after merging every lake delta (with the core's `mergeDelta`). */
export function foldDeltas(deltas: readonly RowDelta[]): Map<string, RowState> {
  const states = new Map<string, RowState>();
  for (const delta of deltas) {
    const key = `${delta.table}:${delta.rowId}`;
    let state = states.get(key);
    if (state === undefined) {
      state = createRowState(delta.table, delta.rowId);
      states.set(key, state);
    }
    mergeDelta(state, delta);
  }
  return states;
}
