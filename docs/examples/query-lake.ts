import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlBlockFromPage } from './lake-files';

/**
 * Runs the fold query of `docs/reading-the-lake.md` with DuckDB over a lake written as files
 * (see `write-lake.ts`) and prints the current rows:
 *
 *   npx tsx docs/examples/query-lake.ts        # reads ./lake/deltas/…
 *   npx tsx docs/examples/query-lake.ts /tmp   # reads /tmp/lake/deltas/…
 *
 * The query reads `lake/deltas/…` relative to DuckDB's file search path, set here to the
 * directory given (default: the current one).
 */
const directory = resolve(process.argv[2] ?? '.');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`SET file_search_path = '${directory.replaceAll("'", "''")}'`);
const query = sqlBlockFromPage('fold');
const reader = await connection.runAndReadAll(query);
for (const row of reader.getRowObjectsJson()) {
  console.log(`${row.table_name}/${row.row_id}  ${row.current_row}`);
}
console.log(`${reader.currentRowCount} rows`);
