import { hasLoneSurrogate } from '../delta/well-formed';
import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';

/**
 * Object keys of the lake, built only from validated parts so that no id can escape its folder
 * or collide with another: `deltas/{YYYY-MM-DD}/{gatewayId}/{minHlc}-{maxHlc}.json`. HLCs are
 * written in decimal, zero-padded to 20 digits (2^64 - 1 has 20), so keys sort in HLC order.
 */

/** Longest key part accepted, in UTF-16 code units. */
export const KEY_PART_LENGTH_MAX = 128;
/** Folder under which flush envelopes live. */
export const ENVELOPE_KEY_PREFIX = 'deltas/';
/** Digits of a zero-padded HLC in a key. */
const HLC_DIGITS = 20;
const UINT64_MAX = (1n << 64n) - 1n;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const ENVELOPE_KEY_PATTERN = /^deltas\/([^/]+)\/([^/]+)\/(\d{20})-(\d{20})\.json$/;

/**
 * Accepts `part` as one segment of an object key, or says why not: it must be non-empty, at most
 * `KEY_PART_LENGTH_MAX` characters, contain no `/` or `\`, no `..` (nor be `.`), no control
 * characters and no lone surrogates. `kind` names the part in the error (e.g. `gatewayId`).
 */
export function validateKeyPart(kind: string, part: string): Result<string, SchemaError> {
  const problem = keyPartProblem(part);
  if (problem === null) return Ok(part);
  return Err(
    new SchemaError(`${kind} ${JSON.stringify(part)} cannot be part of an object key: ${problem}`),
  );
}

function keyPartProblem(part: string): string | null {
  if (typeof part !== 'string') return 'not a string';
  if (part.length === 0) return 'it is empty';
  if (part.length > KEY_PART_LENGTH_MAX) return `it is over ${KEY_PART_LENGTH_MAX} characters`;
  if (part.includes('/') || part.includes('\\')) return 'it contains a path separator';
  if (part === '.' || part.includes('..')) return 'it contains a relative path (. or ..)';
  if (hasUnsafeCharacter(part)) return 'it contains a control character or a lone surrogate';
  return null;
}

/** Control characters (C0, DEL, C1) and lone UTF-16 surrogates, which have no UTF-8 form. */
function hasUnsafeCharacter(part: string): boolean {
  for (let index = 0; index < part.length; index++) {
    const code = part.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return hasLoneSurrogate(part);
}

/** `validateKeyPart('gatewayId', gatewayId)`. */
export function validateGatewayId(gatewayId: string): Result<string, SchemaError> {
  return validateKeyPart('gatewayId', gatewayId);
}

/** Accepts a real calendar date written `YYYY-MM-DD` (e.g. refuses `2026-02-30`). */
export function validateKeyDate(date: string): Result<string, SchemaError> {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (match === null) return Err(new SchemaError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`));
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return Err(new SchemaError(`date ${date} is not a calendar date`));
  }
  return Ok(date);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The parts of an envelope key. */
export interface EnvelopeKeyParts {
  readonly gatewayId: string;
  /** UTC day of the first delta's ingest HLC, `YYYY-MM-DD`. */
  readonly date: string;
  /** Ingest HLCs of the first and last delta in the envelope (inclusive). */
  readonly minHlc: bigint;
  readonly maxHlc: bigint;
}

/**
 * Builds `deltas/{date}/{gatewayId}/{minHlc}-{maxHlc}.json` from validated parts: a safe
 * gateway id, a calendar date, and `0 <= minHlc <= maxHlc < 2^64`.
 */
export function envelopeKey(parts: EnvelopeKeyParts): Result<string, SchemaError> {
  const gatewayId = validateGatewayId(parts.gatewayId);
  if (!gatewayId.ok) return gatewayId;
  const date = validateKeyDate(parts.date);
  if (!date.ok) return date;
  const range = hlcRangeProblem(parts.minHlc, parts.maxHlc);
  if (range !== null) return Err(new SchemaError(`envelope HLC range ${range}`));
  const min = parts.minHlc.toString().padStart(HLC_DIGITS, '0');
  const max = parts.maxHlc.toString().padStart(HLC_DIGITS, '0');
  return Ok(`${ENVELOPE_KEY_PREFIX}${parts.date}/${parts.gatewayId}/${min}-${max}.json`);
}

function hlcRangeProblem(minHlc: bigint, maxHlc: bigint): string | null {
  if (typeof minHlc !== 'bigint' || typeof maxHlc !== 'bigint') return 'is not made of bigints';
  if (minHlc < 0n || maxHlc > UINT64_MAX) return `${minHlc}-${maxHlc} is outside 64 bits`;
  if (minHlc > maxHlc) return `${minHlc}-${maxHlc} is inverted`;
  return null;
}

/**
 * Reads an envelope key back into its parts; the exact inverse of `envelopeKey`. Refuses any key
 * `envelopeKey` could not have built.
 */
export function parseEnvelopeKey(key: string): Result<EnvelopeKeyParts, SchemaError> {
  const match = typeof key === 'string' ? ENVELOPE_KEY_PATTERN.exec(key) : null;
  if (match === null) {
    return Err(
      new SchemaError(
        `${JSON.stringify(key)} is not an envelope key (deltas/{date}/{gatewayId}/{min}-{max}.json)`,
      ),
    );
  }
  const parts: EnvelopeKeyParts = {
    date: match[1]!,
    gatewayId: match[2]!,
    minHlc: BigInt(match[3]!),
    maxHlc: BigInt(match[4]!),
  };
  const rebuilt = envelopeKey(parts);
  if (!rebuilt.ok)
    return Err(new SchemaError(`envelope key ${JSON.stringify(key)}: ${rebuilt.error.message}`));
  return Ok(parts);
}
