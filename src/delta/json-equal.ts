/**
 * Deep equality of JSON values: arrays element by element, objects by their own enumerable keys in
 * any order, primitives by `===` (so `-0` equals `0`, as both serialise to `0`). Prototypes are
 * ignored, so a null-prototype object equals a plain object with the same entries (unlike
 * `fast-deep-equal`, which compares constructors). Agrees with comparing `canonicalJson` output on
 * JSON-safe values (a property test checks it). Recursion is bounded by the shallower argument, so
 * one JSON-safe argument (see `isJsonSafe`) keeps it finite.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) return arraysEqual(a as readonly unknown[], b as readonly unknown[]);
  return objectsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) {
    if (!jsonEqual(a[index], b[index])) return false;
  }
  return true;
}

function objectsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false;
  }
  return true;
}
