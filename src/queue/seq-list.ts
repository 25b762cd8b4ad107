import { assert } from '../result/assert';

/** Anything with a push-order position. */
export interface Sequenced {
  readonly seq: number;
}

/** Dead slots at the front tolerated before the backing array is compacted. */
const HEAD_SLACK_MAX = 1024;

/**
 * Items held in ascending `seq` order, shaped for an outbox: appending a newer item and taking or
 * removing the oldest are O(1) amortised, reading the oldest `n` is O(n), finding an item by seq
 * is O(log size), and only an insert or removal in the middle pays one array splice. Never holds
 * two items with the same seq (asserted: that would be a bug in the caller).
 */
export class SeqList<T extends Sequenced> implements Iterable<T> {
  #items: T[] = [];
  /** Index of the oldest live item; slots before it are dead. */
  #head = 0;

  /** Number of items held. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The oldest `count` items, oldest first (fewer when fewer are held). */
  first(count: number): T[] {
    return this.#items.slice(this.#head, this.#head + count);
  }

  /** The oldest item, if any. */
  oldest(): T | undefined {
    return this.size === 0 ? undefined : this.#items[this.#head];
  }

  /** The newest item, if any. */
  newest(): T | undefined {
    return this.size === 0 ? undefined : this.#items[this.#items.length - 1];
  }

  /** Adds `item` in seq order. */
  insert(item: T): void {
    const newest = this.newest();
    if (newest === undefined || newest.seq < item.seq) {
      this.#items.push(item);
      return;
    }
    const index = this.#lowerBound(item.seq);
    if (this.#items[index]?.seq === item.seq) assert(false, `seq ${item.seq} is listed twice`);
    if (index === this.#head && this.#head > 0) {
      this.#head--;
      this.#items[this.#head] = item;
      return;
    }
    this.#items.splice(index, 0, item);
  }

  /** Removes `item` (matched by identity at its seq); `false` when it is not held. */
  remove(item: T): boolean {
    const index = this.#lowerBound(item.seq);
    if (this.#items[index] !== item) return false;
    if (index === this.#head) {
      this.#head++;
      this.#compact();
    } else {
      this.#items.splice(index, 1);
    }
    return true;
  }

  /**
   * Around a held `item`: the item just before it (`undefined` when it is the oldest), and
   * `item` with the items right after it while `matches` holds, at most `count` (≥ 1) in all.
   * O(log size + count). Asserts `item` is held.
   */
  around(
    item: T,
    count: number,
    matches: (item: T) => boolean,
  ): { before: T | undefined; run: T[] } {
    const index = this.#lowerBound(item.seq);
    if (this.#items[index] !== item) assert(false, `seq ${item.seq} is not held`);
    const before = index > this.#head ? this.#items[index - 1] : undefined;
    const run: T[] = [item];
    for (let next = index + 1; run.length < count && next < this.#items.length; next++) {
      const candidate = this.#items[next] as T;
      if (!matches(candidate)) break;
      run.push(candidate);
    }
    return { before, run };
  }

  /** The items whose seq is above `seq`, oldest first. O(log size + items returned). */
  after(seq: number): T[] {
    return this.#items.slice(this.#lowerBound(seq + 1));
  }

  /** Removes and returns the oldest `count` items (fewer when fewer are held), oldest first. */
  shift(count: number): T[] {
    const start = this.#head;
    const end = Math.min(this.#items.length, start + Math.max(0, count));
    const taken = this.#items.slice(start, end);
    this.#head = end;
    this.#compact();
    return taken;
  }

  /**
   * Removes and returns the oldest items while `matches(item, bound)` holds, oldest first.
   * (`bound` is handed to `matches` so callers need not make a closure per call.)
   */
  shiftWhile<B>(matches: (item: T, bound: B) => boolean, bound: B): T[] {
    const start = this.#head;
    let end = start;
    while (end < this.#items.length && matches(this.#items[end] as T, bound)) end++;
    if (end === start) return [];
    const taken = this.#items.slice(start, end);
    this.#head = end;
    this.#compact();
    return taken;
  }

  /** Removes and returns the newest items while `matches(item, bound)` holds, newest first. */
  popWhile<B>(matches: (item: T, bound: B) => boolean, bound: B): T[] {
    const taken: T[] = [];
    while (this.size > 0) {
      const newest = this.#items[this.#items.length - 1] as T;
      if (!matches(newest, bound)) break;
      this.#items.pop();
      taken.push(newest);
    }
    this.#compact();
    return taken;
  }

  /** Removes and returns every item for which `matches(item, bound)` holds, oldest first. */
  removeWhere<B>(matches: (item: T, bound: B) => boolean, bound: B): T[] {
    const taken: T[] = [];
    const kept: T[] = [];
    for (const item of this) (matches(item, bound) ? taken : kept).push(item);
    if (taken.length > 0) {
      this.#items = kept;
      this.#head = 0;
    }
    return taken;
  }

  /** Every item, oldest first, as a new array. */
  toArray(): T[] {
    return this.#items.slice(this.#head);
  }

  /** Drops every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }

  /** Iterates oldest first; do not change the list while iterating. */
  *[Symbol.iterator](): Iterator<T> {
    for (let index = this.#head; index < this.#items.length; index++) yield this.#items[index] as T;
  }

  /** The first index at or after the head whose seq is ≥ `seq` (the end when none is). */
  #lowerBound(seq: number): number {
    let low = this.#head;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#items[middle] as T).seq < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > HEAD_SLACK_MAX && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
