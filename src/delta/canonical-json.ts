import { assert } from '../result/assert';
import { quoteJsonString } from './json-quote';
import { sortedKeys } from './sorted-keys';

/**
 * Deepest nesting `canonicalJson` walks before it asserts. Far above `JSON_DEPTH_MAX`, so it never
 * trips on validated values; it exists to turn a cycle into a clear failure, not a stack overflow.
 */
const CANONICAL_DEPTH_MAX = 1_000;

/**
 * Serialises `value` as canonical JSON: object keys sorted (by UTF-16 code units) at every depth,
 * no whitespace. Byte-for-byte equal to `fast-json-stable-stringify` (a property test proves it):
 * `toJSON` is honoured, non-finite numbers become `null`, `undefined`/functions/symbols are dropped
 * from objects and become `null` in arrays, and a top-level value without a JSON form gives
 * `undefined`. Asserts on bigints and on cycles (pass only JSON-safe values; see `isJsonSafe`).
 *
 * Faster than the library: no per-node bookkeeping for cycles (a depth bound catches them), key
 * arrays are sorted in place, and primitives skip the `toJSON` probe.
 */
export function canonicalJson(value: unknown): string | undefined {
  return writeNode(value, 0);
}

function writeNode(node: unknown, depth: number): string | undefined {
  if (typeof node === 'object' && node !== null) {
    const toJSON = (node as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return writeResolved(toJSON.call(node), depth);
  }
  return writeResolved(node, depth);
}

function writeResolved(node: unknown, depth: number): string | undefined {
  switch (typeof node) {
    case 'string':
      return quoteJsonString(node);
    case 'number':
      return Number.isFinite(node) ? `${node}` : 'null';
    case 'boolean':
      return node ? 'true' : 'false';
    case 'object':
      if (node === null) return 'null';
      assert(depth < CANONICAL_DEPTH_MAX, 'canonicalJson: value nested too deep or cyclic');
      return Array.isArray(node)
        ? writeArray(node, depth + 1)
        : writeObject(node as Record<string, unknown>, depth + 1);
    case 'bigint':
      assert(false, 'canonicalJson: a bigint has no JSON form');
      return undefined;
    default:
      return undefined; // undefined, function, symbol
  }
}

function writeArray(array: readonly unknown[], depth: number): string {
  let out = '[';
  for (let index = 0; index < array.length; index++) {
    if (index > 0) out += ',';
    out += writeNode(array[index], depth) ?? 'null';
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>, depth: number): string {
  const keys = sortedKeys(object);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const written = writeNode(object[key], depth);
    if (written === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${quoteJsonString(key)}:${written}`;
  }
  return `${out}}`;
}
