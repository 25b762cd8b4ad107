import type { TimerHandle, Timers } from '../ports/timers';
import type { Transport } from '../ports/transport';
import { DEFAULT_CODEC_LIMITS } from '../proto/limits';
import { assert } from '../result/assert';
import { TransportError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';

/**
 * What the transport reads of a reply: the status, two headers and the body. A fetch `Response`
 * is one; a `fetch` of an app's own (such as `nodeHttpFetch` on Node) may return a lighter object
 * that holds the body already read, since building a `Response` costs Node 20 more than a whole
 * loopback request does.
 */
export interface FetchReply {
  readonly status: number;
  /** Header lookup by case-insensitive name; repeated headers joined by `, `, as `Headers.get`. */
  readonly headers: { get(name: string): string | null };
  /** The body still to be read, to cancel when it is refused unread; `null` when there is none. */
  readonly body?: { cancel(): Promise<void> } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` as the transport calls it (the global one, or one injected by a test or an app). */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchReply>;

/** Time allowed for one request, reply body included, when none is given. */
export const HTTP_TIMEOUT_MS_DEFAULT = 10_000;
/** Largest reply accepted: the codec's own message limit, so nothing larger is buffered. */
export const HTTP_REPLY_BYTES_MAX = DEFAULT_CODEC_LIMITS.messageBytesMax;
const PROTOBUF_MEDIA_TYPE = 'application/x-protobuf';

/** How an `HttpTransport` reaches its gateway. */
export interface HttpTransportOptions {
  /** The gateway's URL (`http://127.0.0.1:8787`), or a function read before every request. */
  readonly baseUrl: string | (() => string);
  /** Runs the request timeout; the real `systemTimers` in apps, manual timers in tests. */
  readonly timers: Timers;
  /** Time allowed for one request, reply body included. Default `HTTP_TIMEOUT_MS_DEFAULT`. */
  readonly timeoutMs?: number;
  /** The bearer token for a request, asked for before each one; `null` sends none. */
  readonly token?: () => string | null | Promise<string | null>;
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
}

/**
 * The `Transport` port over HTTP: `POST {baseUrl}/v1/sync/push` and `/pull` with protobuf bodies
 * and an `Authorization: Bearer` header. Any reply whose body is protobuf is handed back as
 * `Ok(bytes)` whatever its status, because a refusal (401, 403, 409, 503 …) is an encoded
 * `SyncResponse` whose `error` the client acts on. A network failure, a timeout, a failing token
 * provider or a reply that is not protobuf (a proxy's error page) is an `Err(TransportError)`.
 * Never throws or rejects. Uses only web-platform APIs (fetch, AbortController), so it bundles
 * for browsers as it is.
 */
export class HttpTransport implements Transport {
  readonly #options: HttpTransportOptions;
  readonly #timeoutMs: number;
  readonly #fetch: FetchLike | null;

  /** Asserts that `timeoutMs`, when given, is a positive finite number (a programming error otherwise). */
  constructor(options: HttpTransportOptions) {
    const timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS_DEFAULT;
    assert(Number.isFinite(timeoutMs) && timeoutMs > 0, 'HttpTransport timeoutMs must be positive');
    this.#options = options;
    this.#timeoutMs = timeoutMs;
    const ambient =
      typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : null;
    this.#fetch = options.fetch ?? ambient;
  }

  push(request: Uint8Array): Promise<Result<Uint8Array, TransportError>> {
    return this.#send('push', request);
  }

  pull(request: Uint8Array): Promise<Result<Uint8Array, TransportError>> {
    return this.#send('pull', request);
  }

  async #send(
    kind: 'push' | 'pull',
    body: Uint8Array,
  ): Promise<Result<Uint8Array, TransportError>> {
    const fetchImpl = this.#fetch;
    if (fetchImpl === null) return Err(new TransportError('no fetch available in this runtime'));
    let url: string;
    let token: string | null;
    try {
      url = `${resolveBaseUrl(this.#options.baseUrl)}/v1/sync/${kind}`;
      token = this.#options.token === undefined ? null : await this.#options.token();
    } catch (caught) {
      return Err(
        new TransportError(
          `${kind}: cannot prepare the request: ${describe(caught)}`,
          asError(caught),
        ),
      );
    }
    const headers: Record<string, string> = { 'content-type': PROTOBUF_MEDIA_TYPE };
    if (token !== null && token.length > 0) headers.authorization = `Bearer ${token}`;
    const controller = new AbortController();
    const timer: TimerHandle = this.#options.timers.schedule(
      () => controller.abort(),
      this.#timeoutMs,
    );
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: controller.signal,
      });
      return await readReply(kind, response);
    } catch (caught) {
      const message = controller.signal.aborted
        ? `${kind} to ${url} timed out after ${this.#timeoutMs} ms`
        : `${kind} to ${url} failed: ${describe(caught)}`;
      return Err(new TransportError(message, asError(caught)));
    } finally {
      this.#options.timers.cancel(timer);
    }
  }
}

/** The reply bytes when the body is protobuf and within `HTTP_REPLY_BYTES_MAX`; may throw (caller catches). */
async function readReply(
  kind: 'push' | 'pull',
  response: FetchReply,
): Promise<Result<Uint8Array, TransportError>> {
  const mediaType = (response.headers.get('content-type') ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (mediaType !== PROTOBUF_MEDIA_TYPE) {
    await response.body?.cancel().catch(() => undefined);
    return Err(
      new TransportError(
        `${kind}: HTTP ${response.status} with a ${JSON.stringify(mediaType ?? '')} body, not ${PROTOBUF_MEDIA_TYPE}`,
      ),
    );
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > HTTP_REPLY_BYTES_MAX) {
    await response.body?.cancel().catch(() => undefined);
    return Err(
      new TransportError(`${kind}: reply of ${declared} bytes is over ${HTTP_REPLY_BYTES_MAX}`),
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > HTTP_REPLY_BYTES_MAX) {
    return Err(
      new TransportError(
        `${kind}: reply of ${bytes.byteLength} bytes is over ${HTTP_REPLY_BYTES_MAX}`,
      ),
    );
  }
  return Ok(bytes);
}

function resolveBaseUrl(baseUrl: string | (() => string)): string {
  const url = typeof baseUrl === 'function' ? baseUrl() : baseUrl;
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

function describe(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}

function asError(caught: unknown): Error {
  return caught instanceof Error ? caught : new Error(String(caught));
}
