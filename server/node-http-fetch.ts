import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { FetchLike, FetchReply } from '../src/client/http-transport';
import { HTTP_REPLY_BYTES_MAX } from '../src/client/http-transport';

/** How `nodeHttpFetch` sends its requests. */
export interface NodeHttpFetchOptions {
  /** The connection pool; default: one keep-alive agent for this fetch. */
  readonly agent?: Agent;
  /** Largest reply body buffered; a longer one rejects. Default `HTTP_REPLY_BYTES_MAX`. */
  readonly replyBytesMax?: number;
}

/** Statuses whose reply has no body, whatever the server sent (as a `Response` has none). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for `HttpTransport` on Node built on `node:http` with a keep-alive agent: about a
 * fifth of the cost per request of Node 20's global (undici) fetch on loopback, which matters for
 * Node clients that push a lot (load generators, server-to-server sync, tests). Supports what
 * `HttpTransport` sends: a method, plain-object or `Headers` headers, a `Uint8Array` or string
 * body (or none), and an `AbortSignal`, which destroys the request (the transport's timeout).
 * Plain `http:` only; use the global fetch for `https:`. Resolves to a `FetchReply` whose body
 * is already read (not a `Response`); rejects as fetch does: on a network error, an abort, or a
 * reply over `replyBytesMax`.
 */
export function nodeHttpFetch(options: NodeHttpFetchOptions = {}): FetchLike {
  const agent = options.agent ?? new Agent({ keepAlive: true });
  const replyBytesMax = options.replyBytesMax ?? HTTP_REPLY_BYTES_MAX;
  return (url, init) =>
    new Promise<FetchReply>((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const body = requestBody(init.body);
      if (body instanceof Error) {
        reject(body);
        return;
      }
      const headers = plainHeaders(init.headers);
      if (body !== null) headers['content-length'] = String(body.byteLength);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const outgoing = request(
        url,
        { method: init.method ?? 'GET', agent, headers },
        (incoming) => {
          const chunks: Buffer[] = [];
          let total = 0;
          incoming.on('data', (chunk: Buffer) => {
            total += chunk.byteLength;
            if (total > replyBytesMax) {
              incoming.destroy();
              settle(() => reject(new Error(`reply over ${replyBytesMax} bytes`)));
              return;
            }
            chunks.push(chunk);
          });
          incoming.on('error', (error) => settle(() => reject(error)));
          incoming.on('end', () => {
            const status = incoming.statusCode ?? 500;
            const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            const body = NULL_BODY_STATUSES.has(status) ? new Uint8Array(0) : bytes;
            settle(() => resolve(new BufferedReply(status, incoming.headers, body)));
          });
        },
      );
      const onAbort = () => {
        outgoing.destroy();
        settle(() => reject(abortError(signal)));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', (error) => settle(() => reject(error)));
      outgoing.end(body ?? undefined);
    });
}

/**
 * A reply whose body has been read whole: the `FetchReply` the transport reads, without the web
 * `Response` and its body stream, which cost Node 20 about 70 µs per reply on this project's
 * machine (reports/bench.md, http-push notes). The body can be read once, as a `Response`'s can.
 */
class BufferedReply implements FetchReply {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body = null;
  #bytes: Uint8Array | null;

  constructor(status: number, headers: IncomingHttpHeaders, bytes: Uint8Array) {
    this.status = status;
    this.headers = { get: (name) => headerValue(headers, name) };
    this.#bytes = bytes;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#bytes;
    if (bytes === null) return Promise.reject(new TypeError('the reply body was already read'));
    this.#bytes = null;
    // A chunk or a `Buffer.concat` result may be a view of a larger (pooled) ArrayBuffer; such a
    // view is copied (`Buffer#slice` would not copy), so the caller gets exactly the body's bytes.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    if (whole) return Promise.resolve(bytes.buffer as ArrayBuffer);
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return Promise.resolve(copy.buffer);
  }
}

/** `Headers.get` over Node's parsed headers (names already lower case). */
function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function requestBody(body: RequestInit['body']): Uint8Array | null | Error {
  if (body === undefined || body === null) return null;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return new TypeError('nodeHttpFetch sends only Uint8Array or string bodies');
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers === undefined) return plain;
  if (headers instanceof Headers || Array.isArray(headers)) {
    new Headers(headers).forEach((value, name) => {
      plain[name] = value;
    });
    return plain;
  }
  return Object.assign(plain, headers);
}

function abortError(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The request was aborted', 'AbortError');
}
