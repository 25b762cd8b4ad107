import { Err, Ok, type Result } from '../src/result/result';

/** Why a body could not be read. */
export type BodyFailure =
  | { readonly kind: 'too-large'; readonly bytes: number }
  | { readonly kind: 'unreadable'; readonly message: string };

/**
 * Reads a request body of at most `bytesMax` bytes. A declared `Content-Length` over the limit is
 * refused before reading, and a body within it is read whole; a body without one (chunked) is
 * read until it passes the limit, then the stream is cancelled, so a hostile client cannot make
 * the server buffer more than `bytesMax` plus one chunk. Never throws.
 */
export async function readBodyLimited(
  request: Request,
  bytesMax: number,
): Promise<Result<Uint8Array, BodyFailure>> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > bytesMax) {
    return Err({ kind: 'too-large', bytes: declared });
  }
  if (Number.isFinite(declared)) {
    // The HTTP parser frames the body by its Content-Length, so it cannot run past it; reading it
    // whole is the fast path on @hono/node-server (no web stream is built).
    try {
      return Ok(new Uint8Array(await request.arrayBuffer()));
    } catch (caught) {
      return Err({
        kind: 'unreadable',
        message: caught instanceof Error ? caught.message : String(caught),
      });
    }
  }
  const stream = request.body;
  if (stream === null) return Ok(new Uint8Array(0));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > bytesMax) {
        void reader.cancel().catch(() => undefined);
        return Err({ kind: 'too-large', bytes: total });
      }
      chunks.push(value);
    }
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    return Err({ kind: 'unreadable', message });
  }
  if (chunks.length === 1) return Ok(chunks[0] as Uint8Array);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return Ok(body);
}
