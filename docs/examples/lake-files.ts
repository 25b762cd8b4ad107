import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Helpers shared by the examples of `docs/reading-the-lake.md` and by `tests/lake-duckdb.test.ts`:
 * write a lake's objects as files (the layout an `aws s3 sync` or `mc mirror` of the bucket gives)
 * and read the DuckDB fold query out of the page, so the page, the example and the test run the
 * very same text.
 */

/** The page that holds the query. */
export const READING_THE_LAKE_PAGE = fileURLToPath(
  new URL('../reading-the-lake.md', import.meta.url),
);

/**
 * Writes every object to `directory/<key>` and returns how many were written. Refuses a key that
 * would leave `directory` (the gateway never writes one: keys are built from validated parts).
 */
export function writeLakeFiles(
  objects: ReadonlyMap<string, Uint8Array>,
  directory: string,
): number {
  const root = resolve(directory);
  for (const [key, bytes] of objects) {
    const path = resolve(join(root, key));
    if (!path.startsWith(root + sep)) throw new Error(`object key ${key} leaves ${root}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return objects.size;
}

/**
 * The SQL of the fenced block that follows the marker `<!-- query: NAME -->` in the page (the
 * marker must be the line before the ```sql fence). Throws with a clear message when the marker
 * or its block is missing, so a broken page fails the test instead of testing nothing.
 */
export function sqlBlockFromPage(name: string, page: string = READING_THE_LAKE_PAGE): string {
  const text = readFileSync(page, 'utf8');
  const marker = `<!-- query: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${page} has no ${marker}`);
  const match = /^\s*```sql\n([\s\S]*?)\n```/.exec(text.slice(at + marker.length));
  if (match === null) throw new Error(`${page}: ${marker} is not followed by a sql block`);
  return match[1]!;
}
