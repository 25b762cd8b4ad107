/**
 * Bearer tokens from the local gateway's development route (`POST /v1/dev/token`, mounted only
 * with `--dev-tokens`): one per client id, kept in memory for the page's life and fetched again
 * after the gateway refuses it. A real app would get its token from its own sign-in instead.
 */
export class DevTokens {
  readonly #clientId: string;
  #token: string | null = null;
  #pending: Promise<string | null> | null = null;

  constructor(clientId: string) {
    this.#clientId = clientId;
  }

  /** The token, fetched on first use; `null` while the gateway cannot be reached. */
  get(): Promise<string | null> {
    if (this.#token !== null) return Promise.resolve(this.#token);
    if (this.#pending === null) {
      this.#pending = this.#fetch().finally(() => {
        this.#pending = null;
      });
    }
    return this.#pending;
  }

  /** Forgets the token (the gateway said UNAUTHENTICATED): the next request fetches a new one. */
  invalidate(): void {
    this.#token = null;
  }

  async #fetch(): Promise<string | null> {
    try {
      const reply = await fetch('/v1/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: this.#clientId }),
      });
      if (!reply.ok) return null;
      const body = (await reply.json()) as { token?: unknown };
      this.#token = typeof body.token === 'string' ? body.token : null;
      return this.#token;
    } catch {
      return null; // offline: the round fails as a transport error and is retried
    }
  }
}
