import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { QueueEntry } from '../queue/types';

/**
 * What a client has seen of its own outbox come back in pulls since it opened (ADR-021, the
 * restore from backup). A pull returns every client's deltas, the asker's own included, and the
 * gateway serves only deltas it accepted: an own delta that comes back is, by definition, held
 * by the gateway. So when a reply shows the id reused and the outbox is about to be stamped
 * again, an entry whose `deltaId` has come back is kept as it is (never stamped again, never
 * sent again) instead of being applied a second time under a new stamp.
 *
 * Only the entries found in the outbox at `open` are watched: they are the ones whose fate this
 * client cannot know from its own replies (an outbox restored from a backup holds entries the
 * lost process had pushed since). Memory is therefore bounded by the outbox at open — which
 * `open` reads whole anyway — and shrinks as entries become durable or are stamped again; a
 * client whose outbox was empty at open watches nothing and checks nothing per pulled delta.
 *
 * Exactness: the echoes are complete when every pull since open was answered from the log (a
 * client's first pull starts at cursor 0, and the retained log then holds every delta the gateway
 * accepted) and the latest page said there is no more (`atHead`). A snapshot page (a cursor older
 * than the retained log, or another gateway epoch) rebuilds rows, not deltas: an entry it
 * overwrote may be held without any sign, so afterwards `exact` is false and what has not come
 * back is stamped again as before.
 */
export class OwnEchoes {
  readonly #clientId: string;
  /** Watched entries whose delta has not come back yet: id → HLC, in push order. */
  readonly #waiting = new Map<string, HLCTimestamp>();
  /** Watched entries whose delta came back in a pull: id → HLC. */
  readonly #echoed = new Map<string, HLCTimestamp>();
  #atHead = false;
  #exact = true;

  constructor(clientId: string) {
    this.#clientId = clientId;
  }

  /** Watches the entries the outbox held at open (called once, by `SyncClient.open`). */
  watch(entries: readonly QueueEntry[]): void {
    for (const entry of entries) this.#waiting.set(entry.id, entry.delta.hlc);
  }

  /**
   * Notes one pulled page: its own deltas that are watched entries came back; `hasMore` says
   * whether the pull has reached the log's head; a snapshot page makes the echoes inexact.
   */
  notePage(deltas: readonly RowDelta[], snapshot: boolean, hasMore: boolean): void {
    this.#atHead = !hasMore;
    if (snapshot) this.#exact = false;
    if (this.#waiting.size === 0) return;
    for (const delta of deltas) {
      if (delta.clientId !== this.#clientId) continue;
      const hlc = this.#waiting.get(delta.deltaId);
      if (hlc === undefined) continue;
      this.#waiting.delete(delta.deltaId);
      this.#echoed.set(delta.deltaId, hlc);
    }
  }

  /** Whether the entry `id`'s delta came back in a pull since open. */
  has(id: string): boolean {
    return this.#echoed.has(id);
  }

  /**
   * True when the latest pulled page said the log has no more: the echoes then cover every delta
   * the gateway had logged when it answered. A restamp decision waits for it (a paged pull may
   * bring an entry's echo on a later page).
   */
  get atHead(): boolean {
    return this.#atHead;
  }

  /** False once a snapshot page was pulled since open (see the class comment). */
  get exact(): boolean {
    return this.#exact;
  }

  /** Forgets entries at or below the durable watermark: the outbox has just removed them. */
  forgetDurable(durableHlc: HLCTimestamp): void {
    forgetUpTo(this.#waiting, durableHlc);
    forgetUpTo(this.#echoed, durableHlc);
  }

  /** Forgets an entry stamped again: it holds another delta, under another id, now. */
  forget(id: string): void {
    this.#waiting.delete(id);
    this.#echoed.delete(id);
  }

  /** How many entries are watched (for tests: the bound). */
  get size(): number {
    return this.#waiting.size + this.#echoed.size;
  }
}

/**
 * Deletes the oldest ids while their HLC is at most `bound`. The ids are in push order, whose HLCs
 * rise for one outbox; an entry out of that order merely stays until a later call or a restamp.
 */
function forgetUpTo(ids: Map<string, HLCTimestamp>, bound: HLCTimestamp): void {
  for (const [id, hlc] of ids) {
    if (hlc > bound) return;
    ids.delete(id);
  }
}
