/**
 * What one tab tells the others of its origin about the shared outbox. Messages are hints to
 * sync soon, never data: every tab reads the truth from the outbox and the gateway.
 * - `wrote`: a write was queued in the shared outbox (someone should push it);
 * - `pushed`: a round pushed deltas to the gateway (the others can pull them now).
 */
export type TabMessage = { readonly kind: 'wrote' } | { readonly kind: 'pushed' };

/**
 * A channel between the tabs of one origin. Contract: `post` reaches every other open tab's
 * listeners, not the sender's own; delivery is asynchronous and may be lost (a closing tab), so
 * receivers must not rely on it for correctness. Real: `broadcastTabChannel`; tests:
 * `MemoryChannelHub`.
 */
export interface TabChannel {
  post(message: TabMessage): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

/** `TabChannel` over a `BroadcastChannel` named `name`; messages of unknown shape are ignored. */
export function broadcastTabChannel(name: string): TabChannel {
  const channel = new BroadcastChannel(name);
  const listeners = new Set<(message: TabMessage) => void>();
  channel.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = asTabMessage(event.data);
    if (message === null) return;
    for (const listener of listeners) listener(message);
  });
  return {
    post: (message) => channel.postMessage(message),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => channel.close(),
  };
}

/** The message in `data`, or `null` when it is not a `TabMessage`. */
export function asTabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const kind = (data as { kind?: unknown }).kind;
  return kind === 'wrote' || kind === 'pushed' ? { kind } : null;
}

/**
 * In-memory `BroadcastChannel` for tests: one hub is one origin and channel name; `tab()` is one
 * tab's end. Delivery is queued as a microtask, like the real channel's asynchronous delivery.
 */
export class MemoryChannelHub {
  readonly #ends = new Set<Set<(message: TabMessage) => void>>();

  /** One new tab's end of the channel. */
  tab(): TabChannel {
    const listeners = new Set<(message: TabMessage) => void>();
    this.#ends.add(listeners);
    return {
      post: (message) => {
        for (const end of this.#ends) {
          if (end === listeners) continue;
          queueMicrotask(() => {
            for (const listener of end) listener(message);
          });
        }
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        listeners.clear();
        this.#ends.delete(listeners);
      },
    };
  }
}
