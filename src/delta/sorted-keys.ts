/** Up to this many keys are sorted by insertion in place; longer lists go to `Array.sort`. */
const INSERTION_SORT_MAX = 16;

/**
 * `Object.keys(object).sort()`, without `Array.sort`'s temporary work array for the short key
 * lists of typical rows and values. Keys are distinct strings, so any correct sort by UTF-16 code
 * units (what both `<` and the default `sort` compare) gives the same order.
 */
export function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let at = index;
    while (at > 0 && keys[at - 1]! > key) {
      keys[at] = keys[at - 1]!;
      at--;
    }
    keys[at] = key;
  }
  return keys;
}
