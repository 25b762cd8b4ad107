import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isJsonSafe, numberProblem } from '../src/delta/json-safe';
import type { ColumnDelta, DeltaOp, RowDelta } from '../src/delta/types';
import type { HLCTimestamp } from '../src/hlc/types';
import {
  decodeRowDelta,
  decodeSyncPull,
  decodeSyncPush,
  decodeSyncResponse,
  encodeRowDelta,
  encodeSyncPull,
  encodeSyncPush,
  encodeSyncResponse,
} from '../src/proto/codec';
import {
  INVALID_JSON_VALUE,
  parseJsonValueBytes,
  parseJsonValueRange,
} from '../src/proto/json-value';
import {
  decodeRowDeltaBySchema,
  decodeSyncPullBySchema,
  decodeSyncPushBySchema,
  decodeSyncResponseBySchema,
  encodeRowDeltaBySchema,
  encodeSyncPullBySchema,
  encodeSyncPushBySchema,
  encodeSyncResponseBySchema,
} from '../src/proto/schema-codec';
import type { SyncPull, SyncPush, SyncResponse } from '../src/proto/types';
import { CodecError } from '../src/result/errors';
import type { Result } from '../src/result/result';

/**
 * Laws of the wire codec:
 * - encode → decode is the identity (values as JSON sees them: -0 becomes 0);
 * - the hand-written hot path and the reference path through the generated schema agree: the
 *   same bytes out, the same messages in;
 * - decoding never throws: random bytes and mutated valid encodings (bits flipped, bytes inserted,
 *   deleted, truncated) always give a `Result`, and an `Err` is always a `CodecError`.
 */

const NUM_RUNS = 10_000;

const hlcArb: fc.Arbitrary<HLCTimestamp> = fc
  .oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.constantFrom(0n, (1n << 64n) - 1n, ((2n ** 48n - 1n) << 16n) | 0xffffn),
  )
  .map((value) => value as HLCTimestamp);

const idArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  // A SHA-256 in hex, like a real deltaId (built from a bigint: far cheaper than 64 characters).
  fc
    .bigInt({ min: 0n, max: (1n << 256n) - 1n })
    .map((value) => value.toString(16).padStart(64, '0')),
);

const columnsArb: fc.Arbitrary<ColumnDelta[]> = fc.uniqueArray(
  fc.record({
    column: fc.oneof(idArb, fc.constantFrom('__proto__', 'constructor', 'toString')),
    value: fc.oneof(
      // Column values are JSON-safe: no integral number beyond ±(2^53 − 1) (json-safe.ts).
      { arbitrary: fc.jsonValue({ maxDepth: 1 }).filter(isJsonSafe), weight: 4 },
      {
        arbitrary: fc.jsonValue({ maxDepth: 3, depthSize: 'xsmall' }).filter(isJsonSafe),
        weight: 1,
      },
    ),
  }),
  { selector: (column) => column.column, maxLength: 3 },
);

const deltaArb: fc.Arbitrary<RowDelta> = fc.record({
  op: fc.constantFrom<DeltaOp>('INSERT', 'UPDATE', 'DELETE'),
  table: idArb,
  rowId: idArb,
  clientId: idArb,
  columns: columnsArb,
  hlc: hlcArb,
  deltaId: idArb,
});

const pushArb: fc.Arbitrary<SyncPush> = fc.record({
  clientId: idArb,
  deltas: fc.array(deltaArb, { maxLength: 3 }),
  lastSeenHlc: hlcArb,
  baseHlc: hlcArb,
});

const pullArb: fc.Arbitrary<SyncPull> = fc.record({
  clientId: idArb,
  sinceHlc: hlcArb,
  maxDeltas: fc.nat({ max: 0xffff_ffff }),
  gatewayEpoch: hlcArb,
  snapshotOffset: fc.nat({ max: 0xffff_ffff }),
});

const responseArb: fc.Arbitrary<SyncResponse> = fc.record({
  snapshotNext: fc.nat({ max: 0xffff_ffff }),
  deltas: fc.array(deltaArb, { maxLength: 3 }),
  serverHlc: hlcArb,
  hasMore: fc.boolean(),
  cursor: hlcArb,
  durableHlc: hlcArb,
  gatewayId: fc.string({ maxLength: 8 }),
  gatewayEpoch: hlcArb,
  clientAcceptedHlc: hlcArb,
  clientDurableHlc: hlcArb,
  snapshot: fc.boolean(),
  error: fc.option(fc.record({ code: idArb, message: fc.string({ maxLength: 20 }) }), {
    nil: null,
  }),
});

/** What a message looks like after its values went through JSON (`-0` → `0`). */
function asJsonSeesIt<T>(message: T): T {
  const normalise = (delta: RowDelta): RowDelta => ({
    ...delta,
    columns: delta.columns.map((column) => ({
      column: column.column,
      value: JSON.parse(JSON.stringify(column.value)) as unknown,
    })),
  });
  const record = message as { deltas?: readonly RowDelta[]; columns?: unknown };
  if (record.deltas !== undefined) return { ...message, deltas: record.deltas.map(normalise) };
  if (record.columns !== undefined) return normalise(message as RowDelta) as T;
  return message;
}

interface CodecPair<T> {
  readonly name: string;
  readonly arb: fc.Arbitrary<T>;
  readonly encode: (message: T) => Uint8Array;
  readonly decode: (bytes: Uint8Array) => Result<T, CodecError>;
  readonly encodeBySchema: (message: T) => Uint8Array;
  readonly decodeBySchema: (bytes: Uint8Array) => Result<T, CodecError>;
}

const pairs: readonly CodecPair<unknown>[] = [
  {
    name: 'SyncPush',
    arb: pushArb,
    encode: encodeSyncPush,
    decode: decodeSyncPush,
    encodeBySchema: encodeSyncPushBySchema,
    decodeBySchema: decodeSyncPushBySchema,
  } satisfies CodecPair<SyncPush>,
  {
    name: 'SyncPull',
    arb: pullArb,
    encode: encodeSyncPull,
    decode: decodeSyncPull,
    encodeBySchema: encodeSyncPullBySchema,
    decodeBySchema: decodeSyncPullBySchema,
  } satisfies CodecPair<SyncPull>,
  {
    name: 'SyncResponse',
    arb: responseArb,
    encode: encodeSyncResponse,
    decode: decodeSyncResponse,
    encodeBySchema: encodeSyncResponseBySchema,
    decodeBySchema: decodeSyncResponseBySchema,
  } satisfies CodecPair<SyncResponse>,
  {
    name: 'RowDelta',
    arb: deltaArb,
    encode: encodeRowDelta,
    decode: decodeRowDelta,
    encodeBySchema: encodeRowDeltaBySchema,
    decodeBySchema: decodeRowDeltaBySchema,
  } satisfies CodecPair<RowDelta>,
] as unknown as readonly CodecPair<unknown>[];

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'insert'; readonly at: number; readonly byte: number }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'truncate'; readonly at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies the mutations in order; positions wrap around the current length. */
function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const mutation of mutations) {
    const at = mutation.at % (out.length + 1);
    if (mutation.kind === 'flip' && at < out.length) out[at] = out[at]! ^ (1 << mutation.bit);
    if (mutation.kind === 'insert') {
      const grown = new Uint8Array(out.length + 1);
      grown.set(out.subarray(0, at));
      grown[at] = mutation.byte;
      grown.set(out.subarray(at), at + 1);
      out = grown;
    }
    if (mutation.kind === 'delete' && at < out.length) {
      const shrunk = new Uint8Array(out.length - 1);
      shrunk.set(out.subarray(0, at));
      shrunk.set(out.subarray(at + 1), at);
      out = shrunk;
    }
    if (mutation.kind === 'truncate') out = out.slice(0, at);
  }
  return out;
}

/**
 * Deep equality for decoded messages: primitives (bigints included) by `Object.is`, arrays by
 * element, other objects by own enumerable keys whatever their prototype. Cheap, and safe on
 * values with keys like `valueOf` or `__proto__` that trip generic helpers.
 */
function equal(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(leftRecord);
  if (keys.length !== Object.keys(rightRecord).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(rightRecord, key) || !equal(leftRecord[key], rightRecord[key])) return false;
  }
  return true;
}

/** Byte-for-byte equality, cheaper than a generic deep equal. */
function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * Two decode results agree: both `Ok` with deeply equal values, or both `Err` (their messages may
 * word the problem differently). Far cheaper than `toEqual`, which keeps 10 000 runs fast.
 */
function sameOutcome(
  left: Result<unknown, CodecError>,
  right: Result<unknown, CodecError>,
): boolean {
  if (left.ok && right.ok) return equal(left.value, right.value);
  return left.ok === right.ok;
}

/** A decode result is well-formed: `Ok`, or `Err` holding a `CodecError` with a message. */
function expectWellFormed(result: Result<unknown, CodecError>): void {
  if (!result.ok) {
    expect(result.error).toBeInstanceOf(CodecError);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe.each(pairs)('$name codec', (pair) => {
  it('round-trips every message, and agrees with the generated schema both ways', () => {
    fc.assert(
      fc.property(pair.arb, (message) => {
        const bytes = pair.encode(message);
        const decoded = pair.decode(bytes);
        // encode → decode is the identity (values as JSON sees them).
        expect(decoded.ok && equal(decoded.value, asJsonSeesIt(message))).toBe(true);
        // The hot path writes exactly the generated encoder's bytes and reads them the same way.
        expect(sameBytes(bytes, pair.encodeBySchema(message))).toBe(true);
        expect(sameOutcome(pair.decodeBySchema(bytes), decoded)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never throws on mutated encodings, and accepts only what the schema path accepts', () => {
    fc.assert(
      fc.property(
        pair.arb,
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        (message, mutations) => {
          const bytes = mutate(pair.encode(message), mutations);
          const result = pair.decode(bytes);
          expectWellFormed(result);
          // The hot path is at least as strict as the reference path, and agrees when it accepts.
          if (result.ok) expect(sameOutcome(pair.decodeBySchema(bytes), result)).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expectWellFormed(pair.decode(bytes));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('JSON value bytes', () => {
  const encoder = new TextEncoder();
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  /**
   * The slow, obviously correct parse the fast paths must match. Text holding an inexact number
   * literal is refused, even one that a duplicate key hides from `JSON.parse` (`{"a":1e400,"a":1}`):
   * other readers may keep the first value.
   */
  function reference(bytes: Uint8Array): unknown {
    try {
      const text = strict.decode(bytes);
      const value: unknown = JSON.parse(text);
      return hasInexactLiteral(text) ? INVALID_JSON_VALUE : value;
    } catch {
      return INVALID_JSON_VALUE;
    }
  }

  /** Strings and number literals of JSON text; strings are matched whole, so digits in them are skipped. */
  const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

  function hasInexactLiteral(text: string): boolean {
    for (const [token] of text.matchAll(JSON_TOKEN)) {
      if (!token.startsWith('"') && numberProblem(Number(token)) !== null) return true;
    }
    return false;
  }

  const jsonTextArb = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    fc.constantFrom('-0', '00', '-', '1e3', '"\\u0041"', '"a\nb"', ' 1', 'true ', 'nul', '""'),
    fc.string({ maxLength: 8 }).map((text) => `"${text}"`),
    fc.integer().map(String),
    fc.constantFrom('9007199254740991', '9007199254740992', '-12345678901234567890', '1e400'),
    fc.constantFrom('{"a":1e400,"a":1}', '["\\"", 12345678901234567890]', '{"n":"1e400"}'),
  );

  it('parses exactly as JSON.parse of the strictly decoded UTF-8, valid or mutated', () => {
    fc.assert(
      fc.property(jsonTextArb, fc.array(mutationArb, { maxLength: 2 }), (text, mutations) => {
        const bytes = mutate(encoder.encode(text), mutations);
        const fast = parseJsonValueBytes(bytes);
        const slow = reference(bytes);
        expect(Object.is(fast, slow) || JSON.stringify(fast) === JSON.stringify(slow)).toBe(true);
        if (typeof slow === 'number') expect(Object.is(fast, slow)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  /**
   * Same value, compared strictly: numbers by `Object.is` (so `-0` counts), arrays element by
   * element, objects by prototype, then own keys in order, then their values.
   */
  function sameJson(a: unknown, b: unknown): boolean {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
      return Object.is(a, b);
    }
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length || keysA.some((key, index) => key !== keysB[index])) {
      return false;
    }
    const recordA = a as Record<string, unknown>;
    const recordB = b as Record<string, unknown>;
    return keysA.every((key) => sameJson(recordA[key], recordB[key]));
  }

  /** Small arrays and objects (what the simulator writes), and near misses of their fast path. */
  const structureTextArb = fc.oneof(
    fc
      .jsonValue({ maxDepth: 6 })
      .filter((value) => typeof value === 'object' && value !== null)
      .map((value) => JSON.stringify(value)),
    fc
      .dictionary(
        fc.constantFrom('tag', 'n', 'nested', 'ok', '0', '12', '__proto__', 'constructor', ''),
        fc.oneof(
          fc.integer({ min: -1_000, max: 1_000 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom('milk', 'émigré', '日本', '🚀', '', true, false, null, -0),
          fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
        ),
        { maxKeys: 4 },
      )
      .map((value) => JSON.stringify(value)),
    fc.constantFrom(
      '{"tag":"émigré","n":7,"nested":{"ok":true}}',
      '[3,"🚀",false]',
      '{"a":1,"a":2}',
      '{"a":1e400,"a":1}',
      '{"__proto__":1}',
      '{"__proto__":{"x":1}}',
      '{"constructor":1,"toString":2}',
      '{"1":1,"b":2,"0":3}',
      '[-0]',
      '[-0.0,0.5,-12.25]',
      '[1,]',
      '[,1]',
      '{"a":1,}',
      '{"a" :1}',
      '{"a": 1}',
      '[ 1]',
      '[1 ]',
      '{"a":[[[[[1]]]]]}',
      '[[[["deep"]]]]',
      '{"t":"\\u00e9"}',
      '{}',
      '[]',
      '[{}]',
      '{"":1}',
      '[1.5e3]',
      '[1.]',
      '[01]',
      '["a"b]',
      '{"a":1}x',
      '[true,false,null]',
      '[nul]',
      '[12345678901234567890]',
      '{"n":9007199254740993}',
    ),
  );

  it('builds small arrays and objects exactly as JSON.parse does, valid or mutated', () => {
    fc.assert(
      fc.property(structureTextArb, fc.array(mutationArb, { maxLength: 2 }), (text, mutations) => {
        const bytes =
          mutations.length === 0 ? encoder.encode(text) : mutate(encoder.encode(text), mutations);
        const fast = parseJsonValueBytes(bytes);
        const slow = reference(bytes);
        expect(sameJson(fast, slow)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('reads a value in place, never past its end', () => {
    // The value `[1,2]` followed by bytes that would continue it: read as the range alone.
    const bytes = encoder.encode('[1,2],3]');
    expect(parseJsonValueRange(bytes, 0, 5)).toEqual([1, 2]);
    expect(parseJsonValueRange(bytes, 0, 4)).toBe(INVALID_JSON_VALUE);
    expect(parseJsonValueRange(encoder.encode('{"a":"b"}"'), 0, 7)).toBe(INVALID_JSON_VALUE);
  });
});
