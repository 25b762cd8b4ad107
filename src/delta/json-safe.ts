/**
 * Deepest nesting of arrays and objects a column value may have. Bounds every recursive walk over
 * values (validation, hashing, comparison), so hostile input cannot exhaust the stack; a cyclic
 * value is caught the same way, because its nesting never ends.
 */
export const JSON_DEPTH_MAX = 64;

/**
 * True iff `value` survives a JSON round trip unchanged and means the same to every JSON reader:
 * `null`, booleans, strings, finite numbers, and arrays and plain objects (prototype
 * `Object.prototype` or `null`) made of them, nested at most `JSON_DEPTH_MAX` deep. Rejects
 * `undefined` (use `null`), functions, symbols, bigints, NaN and ±Infinity, integral numbers beyond
 * ±(2^53 − 1) (see `numberProblem`), sparse arrays, class instances (Date, Map, typed arrays…) and
 * cyclic structures. `-0` is accepted: JSON has one zero, and it serialises as `0`. Never throws.
 */
export function isJsonSafe(value: unknown): boolean {
  return jsonSafetyProblem(value) === null;
}

/**
 * Explains why `value` is not JSON-safe (see `isJsonSafe`), with the path to the offending part,
 * e.g. `at $.tags[2]: a function`; `null` when it is safe. Never throws.
 */
export function jsonSafetyProblem(value: unknown): string | null {
  const problem = problemAt(value, 0);
  return problem === null ? null : `at $${problem}`;
}

/**
 * Why a number cannot be a column value, or `null` when it can. Non-finite numbers have no JSON
 * form. An integral number beyond ±(2^53 − 1) (`Number.MAX_SAFE_INTEGER`) is the rounded image of
 * many integers: `12345678901234567890` is already `12345678901234567000` here, so a reader with
 * exact integers (Go, Rust, Python, a SQL engine) would see another value and hash another
 * `deltaId`. Store such numbers as strings instead.
 */
export function numberProblem(value: number): string | null {
  if (!Number.isFinite(value)) return `${String(value)} (only finite numbers)`;
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `${String(value)} is an integer beyond ±(2^53 − 1), which JSON readers disagree on (store it as a string)`;
  }
  return null;
}

// Internal problems read `<path>: why`, the path growing leftwards while the recursion unwinds.

function problemAt(value: unknown, depth: number): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number': {
      const problem = numberProblem(value);
      return problem === null ? null : `: ${problem}`;
    }
    case 'undefined':
      return ': undefined (use null)';
    case 'object':
      if (value === null) return null;
      if (depth >= JSON_DEPTH_MAX) {
        return `: nesting deeper than ${JSON_DEPTH_MAX} levels (or a cycle)`;
      }
      return Array.isArray(value) ? arrayProblem(value, depth) : objectProblem(value, depth);
    default:
      return `: a ${typeof value}`;
  }
}

function arrayProblem(array: readonly unknown[], depth: number): string | null {
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) return `[${index}]: a hole in a sparse array`;
    const problem = problemAt(array[index], depth + 1);
    if (problem !== null) return `[${index}]${problem}`;
  }
  return null;
}

function objectProblem(object: object, depth: number): string | null {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
    return `: an instance of ${typeof name === 'string' ? name : 'a class'} (only plain objects and arrays)`;
  }
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const problem = problemAt(record[key], depth + 1);
    if (problem !== null) return `.${key}${problem}`;
  }
  return null;
}
