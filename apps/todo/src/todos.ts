import { parseRowKey, type Row, type RowKey } from '../../../src/browser';

/** The table the app writes. */
export const TODOS_TABLE = 'todos';

/** One todo as the app shows it; `id` is the row id. */
export interface Todo {
  readonly id: string;
  readonly title: string;
  readonly completed: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The todos among a replica's visible rows, oldest first (then by id, so every tab agrees). */
export function todosOf(rows: ReadonlyMap<RowKey, Row>): Todo[] {
  const todos: Todo[] = [];
  for (const [key, row] of rows) {
    const { table, rowId } = parseRowKey(key);
    if (table !== TODOS_TABLE) continue;
    todos.push({
      id: rowId,
      title: typeof row.title === 'string' ? row.title : '',
      completed: row.completed === true,
      created_at: typeof row.created_at === 'string' ? row.created_at : '',
      updated_at: typeof row.updated_at === 'string' ? row.updated_at : '',
    });
  }
  return todos.sort((a, b) =>
    a.created_at !== b.created_at
      ? a.created_at < b.created_at
        ? -1
        : 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0,
  );
}

/** The columns of a new todo. */
export function newTodoColumns(title: string, nowIso: string): Row {
  return { title, completed: false, created_at: nowIso, updated_at: nowIso };
}
