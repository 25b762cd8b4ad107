import { assert } from '../../src/result/assert';

/**
 * One scheduled action. `action` becomes `null` when cancelled (lazy deletion: the entry stays in
 * the heap and is skipped when it reaches the top, so cancelling is O(1)).
 */
export interface ScheduledEvent {
  readonly timeMs: number;
  readonly seq: number;
  action: (() => void) | null;
  /** Whether async work may follow the action, so the scheduler must settle after it. */
  readonly settles: boolean;
}

/** The default bound on events held at once; a run that needs more is a runaway. */
export const EVENTS_MAX_DEFAULT = 1_000_000;

/**
 * A binary min-heap of events ordered by `(timeMs, seq)`. `seq` is a counter assigned at
 * insertion, so events at the same virtual time run in the order they were scheduled — the tie
 * break is deterministic, never left to the heap's layout.
 *
 * Bound: at most `eventsMax` events are held at once (cancelled ones included until popped);
 * exceeding it is a bug (a timer storm) and asserts.
 */
export class EventQueue {
  readonly eventsMax: number;
  readonly #heap: ScheduledEvent[] = [];
  #nextSeq = 0;

  constructor(eventsMax: number = EVENTS_MAX_DEFAULT) {
    if (!(Number.isSafeInteger(eventsMax) && eventsMax > 0)) {
      assert(false, `eventsMax must be > 0, got ${eventsMax}`);
    }
    this.eventsMax = eventsMax;
  }

  /** Events held (including cancelled ones not yet popped). */
  get size(): number {
    return this.#heap.length;
  }

  /** Inserts an action at `timeMs`; asserts the time is a finite integer and the bound holds. */
  push(timeMs: number, action: () => void, settles = true): ScheduledEvent {
    if (!(Number.isSafeInteger(timeMs) && timeMs >= 0)) {
      assert(false, `event time must be an integer ≥ 0, got ${timeMs}`);
    }
    if (!(this.#heap.length < this.eventsMax)) {
      assert(false, `event queue over its bound eventsMax=${this.eventsMax}`);
    }
    const event: ScheduledEvent = { timeMs, seq: this.#nextSeq++, action, settles };
    const heap = this.#heap;
    heap.push(event);
    this.#siftUp(heap.length - 1);
    return event;
  }

  /** The earliest event's time, or `null` when empty. */
  peekTimeMs(): number | null {
    const top = this.#heap[0];
    return top === undefined ? null : top.timeMs;
  }

  /** Removes and returns the earliest event (by time, then seq), or `undefined` when empty. */
  pop(): ScheduledEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as ScheduledEvent;
    if (heap.length > 0) {
      heap[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    const event = heap[start] as ScheduledEvent;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as ScheduledEvent;
      if (!before(event, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const event = heap[start] as ScheduledEvent;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(heap[right] as ScheduledEvent, heap[left] as ScheduledEvent)) {
        child = right;
      }
      const childEvent = heap[child] as ScheduledEvent;
      if (!before(childEvent, event)) break;
      heap[index] = childEvent;
      index = child;
    }
    heap[index] = event;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
