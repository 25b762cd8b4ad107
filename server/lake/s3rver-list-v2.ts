import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type S3rver from 's3rver';

/**
 * ListObjectsV2 for the embedded S3 server, in front of s3rver's own handler. s3rver cannot serve
 * a truncated listing on current runtimes (its continuation tokens use DES, which OpenSSL 3 and
 * Bun refuse, so any listing over one page is an HTTP 500), and it picks a page's keys in
 * directory order rather than key order. This handler lists every key under the prefix from
 * s3rver's store, sorts them, and pages them with an opaque continuation token (the last key,
 * base64url). Requests with a delimiter, and every other request, go to s3rver unchanged.
 */

/** Keys per page, as S3: `max-keys` is capped here. */
const PAGE_KEYS_MAX = 1_000;
const TOKEN_PREFIX = 'lakesync:';

type Store = S3rver['store'];

/** Wraps `next` (s3rver's listener) so that ListObjectsV2 requests are answered here. */
export function withListObjectsV2(store: Store, next: RequestListener): RequestListener {
  return (request, response) => {
    const listing = parseListRequest(request);
    if (listing === null) {
      next(request, response);
      return;
    }
    answer(store, listing, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      sendXml(response, 500, errorXml('InternalError', message));
    });
  };
}

interface ListRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly maxKeys: number;
  readonly startAfter: string;
  readonly continuationToken: string | null;
}

function parseListRequest(request: IncomingMessage): ListRequest | null {
  if (request.method !== 'GET' || request.url === undefined) return null;
  const url = new URL(request.url, 'http://embedded-s3');
  const query = url.searchParams;
  if (query.get('list-type') !== '2' || query.has('delimiter')) return null;
  const match = /^\/([^/]+)\/?$/.exec(url.pathname);
  if (match === null) return null;
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? PAGE_KEYS_MAX : Number(maxKeysText);
  const token = query.get('continuation-token');
  return {
    bucket: decodeURIComponent(match[1]!),
    prefix: query.get('prefix') ?? '',
    maxKeys: Number.isInteger(maxKeys) && maxKeys >= 0 ? Math.min(maxKeys, PAGE_KEYS_MAX) : -1,
    startAfter:
      token !== null ? (keyFromToken(token) ?? '\uffff') : (query.get('start-after') ?? ''),
    continuationToken: token,
  };
}

async function answer(store: Store, listing: ListRequest, response: ServerResponse) {
  if ((await store.getBucket(listing.bucket)) === null) {
    sendXml(response, 404, errorXml('NoSuchBucket', 'The specified bucket does not exist'));
    return;
  }
  if (listing.maxKeys < 0) {
    sendXml(response, 400, errorXml('InvalidArgument', 'max-keys must be a non-negative integer'));
    return;
  }
  const { objects } = await store.listObjects(listing.bucket, {
    prefix: listing.prefix,
    startAfter: listing.startAfter,
  });
  const sorted = objects
    .filter((object) => object.key > listing.startAfter)
    .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  const page = sorted.slice(0, listing.maxKeys);
  const truncated = sorted.length > page.length;
  const last = page[page.length - 1];
  const contents = page.map(
    (object) =>
      `<Contents><Key>${escapeXml(object.key)}</Key>` +
      `<LastModified>${object.lastModifiedDate.toISOString()}</LastModified>` +
      `<ETag>${escapeXml(object.metadata.etag ?? '')}</ETag><Size>${object.size}</Size>` +
      '<StorageClass>STANDARD</StorageClass></Contents>',
  );
  const body =
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${escapeXml(listing.bucket)}</Name><Prefix>${escapeXml(listing.prefix)}</Prefix>` +
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${listing.maxKeys}</MaxKeys>` +
    `<IsTruncated>${truncated}</IsTruncated>` +
    (listing.continuationToken === null
      ? ''
      : `<ContinuationToken>${escapeXml(listing.continuationToken)}</ContinuationToken>`) +
    (truncated && last !== undefined
      ? `<NextContinuationToken>${tokenFromKey(last.key)}</NextContinuationToken>`
      : '') +
    contents.join('') +
    '</ListBucketResult>';
  sendXml(response, 200, body);
}

function tokenFromKey(key: string): string {
  return Buffer.from(`${TOKEN_PREFIX}${key}`, 'utf8').toString('base64url');
}

/** The key a token continues after, or `null` for a token this server did not issue. */
function keyFromToken(token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith(TOKEN_PREFIX) ? text.slice(TOKEN_PREFIX.length) : null;
}

function errorXml(code: string, message: string): string {
  return `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
}

function sendXml(response: ServerResponse, status: number, body: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
  });
  response.end(xml);
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
