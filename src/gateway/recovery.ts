import { guardAdapter } from '../adapter/guarded-adapter';
import { parseEnvelopeKey } from '../adapter/object-key';
import type { LakeAdapter } from '../adapter/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import { AdapterError, type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { DeltaBuffer } from './delta-buffer';
import { decodeEnvelope, ENVELOPE_PREFIX, type FlushEnvelope } from './envelope';

/** What a gateway rebuilt from the lake before serving. */
export interface Recovered {
  readonly buffer: DeltaBuffer;
  /** The highest ingest HLC found in the lake (0 for an empty lake). */
  readonly maxIngestHlc: HLCTimestamp;
  readonly envelopes: number;
  readonly deltas: number;
}

/** Bounds of one recovery. */
export interface RecoveryOptions {
  /** Envelope reads in flight at once. */
  readonly readsInFlightMax: number;
  /** Attempts per envelope read before recovery gives up. */
  readonly readAttemptsMax: number;
}

/** Defaults: eight reads at a time, three attempts each. */
export const DEFAULT_RECOVERY_OPTIONS: RecoveryOptions = {
  readsInFlightMax: 8,
  readAttemptsMax: 3,
};

/**
 * Rebuilds a gateway's index and per-client watermarks from every envelope it wrote to the lake.
 * Reads run a few at a time and each is retried, so one slow or flaky read neither serialises nor
 * sinks the whole recovery; envelopes are then applied in key (ingest HLC) order. An envelope that
 * still cannot be read, or is corrupt, fails the recovery with a message naming its key: starting
 * from a partial lake could acknowledge writes as duplicates that are not there. An adapter that
 * throws or rejects counts as a failed read (`guardAdapter`): the result is an `Err`, never a
 * rejected promise.
 */
export async function recoverFromLake(
  lake: LakeAdapter,
  gatewayId: string,
  options: RecoveryOptions = DEFAULT_RECOVERY_OPTIONS,
): Promise<Result<Recovered, LakeSyncError>> {
  const adapter = guardAdapter(lake);
  const listed = await adapter.listObjects(ENVELOPE_PREFIX);
  if (!listed.ok) {
    return Err(
      new AdapterError(`recovery could not list the lake: ${listed.error.message}`, listed.error),
    );
  }
  const keyed: Array<{ key: string; minHlc: bigint }> = [];
  for (const object of listed.value) {
    const parsed = parseEnvelopeKey(object.key);
    if (parsed.ok && parsed.value.gatewayId === gatewayId)
      keyed.push({ key: object.key, minHlc: parsed.value.minHlc });
  }
  keyed.sort((a, b) => (a.minHlc < b.minHlc ? -1 : a.minHlc > b.minHlc ? 1 : 0));
  const keys = keyed.map((entry) => entry.key);

  const envelopes = await readAll(adapter, keys, options);
  if (!envelopes.ok) return envelopes;
  let maxIngestHlc = HLC.ZERO;
  let deltas = 0;
  for (const envelope of envelopes.value) {
    if (envelope.hlcRange.max > maxIngestHlc) maxIngestHlc = envelope.hlcRange.max;
    deltas += envelope.deltas.length;
  }
  const buffer = new DeltaBuffer(maxIngestHlc);
  for (const envelope of envelopes.value) {
    for (const delta of envelope.deltas) buffer.restore(delta);
  }
  return Ok({ buffer, maxIngestHlc, envelopes: keys.length, deltas });
}

/** Reads and decodes every key, `readsInFlightMax` at a time, keeping the keys' order. */
async function readAll(
  adapter: LakeAdapter,
  keys: readonly string[],
  options: RecoveryOptions,
): Promise<Result<FlushEnvelope[], LakeSyncError>> {
  const results: Array<Result<FlushEnvelope, LakeSyncError> | undefined> = new Array(keys.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const position = next++;
      results[position] = await readEnvelope(adapter, keys[position]!, options.readAttemptsMax);
      if (!results[position]!.ok) next = keys.length; // stop the other workers early
    }
  };
  const workers = Math.max(1, Math.min(options.readsInFlightMax, keys.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const envelopes: FlushEnvelope[] = [];
  for (const result of results) {
    if (result === undefined) continue;
    if (!result.ok) return result;
    envelopes.push(result.value);
  }
  return Ok(envelopes);
}

async function readEnvelope(
  adapter: LakeAdapter,
  key: string,
  attemptsMax: number,
): Promise<Result<FlushEnvelope, LakeSyncError>> {
  let lastError = '';
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    const bytes = await adapter.getObject(key);
    if (!bytes.ok) {
      lastError = bytes.error.message;
      continue;
    }
    const envelope = decodeEnvelope(bytes.value);
    if (!envelope.ok) {
      return Err(
        new SchemaError(`recovery found a corrupt envelope ${key}: ${envelope.error.message}`),
      );
    }
    return envelope;
  }
  return Err(
    new AdapterError(`recovery could not read ${key} after ${attemptsMax} attempts: ${lastError}`),
  );
}
