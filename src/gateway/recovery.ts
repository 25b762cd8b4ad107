import { parseEnvelopeKey } from '../adapter/object-key';
import type { LakeAdapter } from '../adapter/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import { AdapterError, type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { DeltaBuffer } from './delta-buffer';
import { decodeEnvelope, ENVELOPE_PREFIX } from './envelope';

/** What a gateway rebuilt from the lake before serving. */
export interface Recovered {
  readonly buffer: DeltaBuffer;
  /** The highest ingest HLC found in the lake (0 for an empty lake). */
  readonly maxIngestHlc: HLCTimestamp;
  readonly envelopes: number;
  readonly deltas: number;
}

/**
 * Rebuilds a gateway's index and per-client watermarks from every envelope it wrote to the lake,
 * in key (ingest HLC) order. Any unreadable or corrupt envelope fails the recovery with a message
 * naming its key: starting from a partial lake could acknowledge writes as duplicates that are not
 * there.
 */
export async function recoverFromLake(
  adapter: LakeAdapter,
  gatewayId: string,
): Promise<Result<Recovered, LakeSyncError>> {
  const listed = await adapter.listObjects(ENVELOPE_PREFIX);
  if (!listed.ok) return Err(new AdapterError(`recovery could not list the lake: ${listed.error.message}`, listed.error));
  const keys = listed.value
    .map((object) => object.key)
    .filter((key) => {
      const parsed = parseEnvelopeKey(key);
      return parsed.ok && parsed.value.gatewayId === gatewayId;
    })
    .sort((a, b) => {
      const left = envelopeMin(a);
      const right = envelopeMin(b);
      return left < right ? -1 : left > right ? 1 : 0;
    });

  let maxIngestHlc = HLC.ZERO;
  const restored: Array<Parameters<DeltaBuffer['restore']>[0]> = [];
  for (const key of keys) {
    const bytes = await adapter.getObject(key);
    if (!bytes.ok) return Err(new AdapterError(`recovery could not read ${key}: ${bytes.error.message}`, bytes.error));
    const envelope = decodeEnvelope(bytes.value);
    if (!envelope.ok) return Err(new SchemaError(`recovery found a corrupt envelope ${key}: ${envelope.error.message}`));
    if (envelope.value.hlcRange.max > maxIngestHlc) maxIngestHlc = envelope.value.hlcRange.max;
    for (const delta of envelope.value.deltas) restored.push(delta);
  }
  const buffer = new DeltaBuffer(maxIngestHlc);
  for (const delta of restored) buffer.restore(delta);
  return Ok({ buffer, maxIngestHlc, envelopes: keys.length, deltas: restored.length });
}

function envelopeMin(key: string): bigint {
  const parsed = parseEnvelopeKey(key);
  return parsed.ok ? parsed.value.minHlc : 0n;
}
