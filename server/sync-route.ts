import type { SyncGateway } from '../src/gateway/gateway';
import { decodeSyncPull, decodeSyncPush, encodeSyncResponse } from '../src/proto/codec';
import type { SyncPull, SyncPush, SyncResponse } from '../src/proto/types';
import { CodecError, LakeSyncError } from '../src/result/errors';
import type { Result } from '../src/result/result';
import { HTTP_ERROR_CODES, httpRefusal, httpStatusFor, shouldRetryLater } from './http-status';
import type { ServerMetrics } from './metrics';
import { readBodyLimited } from './read-body';
import type { TokenVerifier } from './token-verifier';

/** The media type of every sync request and reply body. */
export const PROTOBUF_MEDIA_TYPE = 'application/x-protobuf';
/** Request media types accepted as protobuf (the IANA-registered name and the customary one). */
const PROTOBUF_MEDIA_TYPES: ReadonlySet<string> = new Set([
  PROTOBUF_MEDIA_TYPE,
  'application/protobuf',
]);

/** What a sync route needs from the server around it. */
export interface SyncRouteDeps {
  readonly gateway: SyncGateway;
  /** `null` when authentication is off (`--no-auth`): any client may act as any clientId. */
  readonly verifier: TokenVerifier | null;
  readonly metrics: ServerMetrics;
  readonly bodyBytesMax: number;
  readonly retryAfterSeconds: number;
  /** True once the server is shutting down: new requests are refused with `GATEWAY_CLOSED`. */
  readonly isDraining: () => boolean;
}

/**
 * Serves `POST /v1/sync/push` or `/pull`: authenticate (401), check the media type (415), read the
 * body within its limit (413), decode (400), check that the request's clientId is the token's
 * subject (403), then hand it to the gateway, whose refusals keep their codes. Every reply, a
 * refusal included, is an encoded `SyncResponse`. Never throws.
 */
export async function serveSync(
  kind: 'push' | 'pull',
  request: Request,
  deps: SyncRouteDeps,
): Promise<Response> {
  const { gateway, metrics } = deps;
  const refuse = (error: LakeSyncError, clientId = ''): Response => {
    metrics.countRejection(error.code);
    return protobufReply(gateway.errorResponse(clientId, error), deps.retryAfterSeconds);
  };
  if (deps.isDraining()) {
    return refuse(new LakeSyncError('GATEWAY_CLOSED', 'gateway is shutting down; retry shortly'));
  }
  let subject: string | null = null;
  if (deps.verifier !== null) {
    const verified = await deps.verifier.verify(request.headers.get('authorization') ?? undefined);
    if (!verified.ok) return refuse(verified.error);
    subject = verified.value;
  }
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === undefined || !PROTOBUF_MEDIA_TYPES.has(mediaType)) {
    return refuse(
      httpRefusal(
        HTTP_ERROR_CODES.unsupportedMediaType,
        `content type ${JSON.stringify(mediaType ?? '')} is not ${PROTOBUF_MEDIA_TYPE}`,
      ),
    );
  }
  const body = await readBodyLimited(request, deps.bodyBytesMax);
  if (!body.ok) {
    return body.error.kind === 'too-large'
      ? refuse(
          httpRefusal(
            HTTP_ERROR_CODES.payloadTooLarge,
            `body of ${body.error.bytes} bytes or more is over the ${deps.bodyBytesMax}-byte limit`,
          ),
        )
      : refuse(new CodecError(`request body could not be read: ${body.error.message}`));
  }
  const decoded: Result<SyncPush | SyncPull, CodecError> =
    kind === 'push' ? decodeSyncPush(body.value) : decodeSyncPull(body.value);
  if (!decoded.ok) return refuse(decoded.error);
  const clientId = decoded.value.clientId;
  if (subject !== null && clientId !== subject) {
    return refuse(
      httpRefusal(
        HTTP_ERROR_CODES.forbidden,
        `token is for client ${JSON.stringify(subject)}, not ${JSON.stringify(clientId)}`,
      ),
    );
  }
  const handled =
    kind === 'push'
      ? gateway.handlePush(decoded.value as SyncPush)
      : gateway.handlePull(decoded.value as SyncPull);
  if (kind === 'push') metrics.countPush((decoded.value as SyncPush).deltas.length, handled.ok);
  else metrics.countPull();
  if (!handled.ok) return refuse(handled.error, clientId);
  return protobufReply(handled.value, deps.retryAfterSeconds);
}

/** A reply whose body is `response` encoded; its status follows the refusal code, if any. */
export function protobufReply(response: SyncResponse, retryAfterSeconds: number): Response {
  const code = response.error?.code ?? null;
  const headers: Record<string, string> = {
    'content-type': PROTOBUF_MEDIA_TYPE,
    'cache-control': 'no-store',
  };
  if (code !== null && shouldRetryLater(code)) headers['retry-after'] = String(retryAfterSeconds);
  // The writer allocates its own ArrayBuffer, never a shared one.
  const body = encodeSyncResponse(response) as Uint8Array<ArrayBuffer>;
  return new Response(body, {
    status: code === null ? 200 : httpStatusFor(code),
    headers,
  });
}
