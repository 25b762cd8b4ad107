import type { Todo } from './todos';

/** What the list asks the app to do when someone uses it. */
export interface TodoActions {
  add(title: string): void;
  rename(id: string, title: string): void;
  toggle(id: string, completed: boolean): void;
  remove(id: string): void;
}

/**
 * The todo list in the page. `render` updates the list in place, keyed by todo id, so a title
 * being edited (focused) is never overwritten under the cursor and focus is kept across syncs.
 */
export class TodoView {
  readonly #list: HTMLUListElement;
  readonly #empty: HTMLElement;
  readonly #actions: TodoActions;

  constructor(document: Document, actions: TodoActions) {
    this.#list = required(document, 'todos') as HTMLUListElement;
    this.#empty = required(document, 'empty');
    this.#actions = actions;
    const form = required(document, 'new-todo') as HTMLFormElement;
    const input = required(document, 'new-title') as HTMLInputElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const title = input.value.trim();
      if (title.length === 0) return;
      input.value = '';
      actions.add(title);
    });
  }

  render(todos: readonly Todo[]): void {
    const wanted = new Set(todos.map((todo) => todo.id));
    for (const item of Array.from(this.#list.children) as HTMLLIElement[]) {
      if (!wanted.has(item.dataset.id ?? '')) item.remove();
    }
    let previous: HTMLLIElement | null = null;
    for (const todo of todos) {
      const item = this.#itemFor(todo.id);
      this.#fill(item, todo);
      const expectedNext: Element | null =
        previous === null ? this.#list.firstElementChild : previous.nextElementSibling;
      if (expectedNext !== item) {
        if (previous === null) this.#list.prepend(item);
        else previous.after(item);
      }
      previous = item;
    }
    this.#empty.hidden = todos.length > 0;
  }

  #itemFor(id: string): HTMLLIElement {
    const existing = this.#list.querySelector<HTMLLIElement>(`li[data-id="${CSS.escape(id)}"]`);
    if (existing !== null) return existing;
    const item = document.createElement('li');
    item.dataset.id = id;
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.className = 'toggle';
    toggle.setAttribute('aria-label', 'done');
    toggle.addEventListener('change', () => this.#actions.toggle(id, toggle.checked));
    const title = document.createElement('input');
    title.className = 'title';
    title.setAttribute('aria-label', 'title');
    title.maxLength = 200;
    title.addEventListener('change', () => {
      const text = title.value.trim();
      if (text.length > 0) this.#actions.rename(id, text);
    });
    title.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') title.blur();
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'delete';
    remove.textContent = '×';
    remove.setAttribute('aria-label', 'delete');
    remove.addEventListener('click', () => this.#actions.remove(id));
    item.append(toggle, title, remove);
    return item;
  }

  #fill(item: HTMLLIElement, todo: Todo): void {
    const toggle = item.querySelector<HTMLInputElement>('.toggle');
    const title = item.querySelector<HTMLInputElement>('.title');
    if (toggle !== null) toggle.checked = todo.completed;
    if (title !== null && document.activeElement !== title && title.value !== todo.title) {
      title.value = todo.title;
    }
    item.classList.toggle('done', todo.completed);
  }
}

function required(document: Document, id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element;
}
