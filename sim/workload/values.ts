import type { Prng } from '../engine/prng';

/** The ordinary columns every simulated table has. */
export const COLUMNS: readonly string[] = ['title', 'done', 'rank', 'note', 'meta'];

/**
 * Column names that break naive code (prototype keys, spaces, non-ASCII). The core keeps columns
 * in `Map`s and null-prototype rows, so these must sync like any other column.
 */
export const ODD_COLUMNS: readonly string[] = ['__proto__', 'constructor', 'has space', 'ünïcødé'];

/** Chance that a write also touches one odd column. */
export const ODD_COLUMN_PROBABILITY = 0.02;

const WORDS: readonly string[] = [
  'milk',
  'rust',
  'lake',
  'sync',
  'delta',
  'tide',
  'émigré',
  '日本',
  '🚀',
  '',
];

/**
 * A small JSON value for `column`, drawn from `prng`: strings (some non-ASCII, some empty),
 * integers, two-decimal numbers, booleans, `null`, and now and then a small object or array.
 * Only exact arithmetic, so the same draws give the same value on every engine.
 */
export function drawValue(prng: Prng, column: string): unknown {
  switch (column) {
    case 'title':
      return `${prng.pick(WORDS)} ${prng.below(1_000)}`;
    case 'done':
      return prng.chance(0.5);
    case 'rank':
      return prng.chance(0.5) ? prng.between(-1_000, 1_000) : prng.between(-100_000, 100_000) / 100;
    case 'note':
      return prng.chance(0.3) ? null : prng.pick(WORDS);
    case 'meta':
      return drawStructured(prng);
    default:
      return drawAny(prng);
  }
}

function drawStructured(prng: Prng): unknown {
  const roll = prng.below(4);
  if (roll === 0) return null;
  if (roll === 1) return [prng.below(10), prng.pick(WORDS), prng.chance(0.5)];
  const object: Record<string, unknown> = Object.create(null);
  object.tag = prng.pick(WORDS);
  object.n = prng.below(100);
  if (roll === 3) object.nested = { ok: prng.chance(0.5) };
  return object;
}

function drawAny(prng: Prng): unknown {
  const roll = prng.below(5);
  if (roll === 0) return null;
  if (roll === 1) return prng.chance(0.5);
  if (roll === 2) return prng.between(-50, 50);
  if (roll === 3) return prng.pick(WORDS);
  return drawStructured(prng);
}

/**
 * Column values for a write: an insert sets every ordinary column; an update sets one or two
 * of them. Either may add one odd column. Built with a null prototype and `defineProperty`, so a
 * column called `__proto__` is an own key (as `JSON.parse` would make it), not a prototype change.
 */
export function drawColumns(prng: Prng, op: 'insert' | 'update'): Record<string, unknown> {
  const values: Record<string, unknown> = Object.create(null);
  const set = (column: string): void => {
    Object.defineProperty(values, column, {
      value: drawValue(prng, column),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  if (op === 'insert') {
    for (const column of COLUMNS) set(column);
  } else {
    const first = prng.pick(COLUMNS);
    set(first);
    const second = prng.pick(COLUMNS);
    if (second !== first && prng.chance(0.5)) set(second);
  }
  if (prng.chance(ODD_COLUMN_PROBABILITY)) set(prng.pick(ODD_COLUMNS));
  return values;
}
