import { decodeSyncPull, decodeSyncPush, encodeSyncResponse } from '../proto/codec';
import type { SyncResponse } from '../proto/types';
import type { LakeSyncError } from '../result/errors';
import type { Result } from '../result/result';
import type { SyncGateway } from './gateway';

/**
 * The gateway as bytes in, bytes out: decode a protobuf request, call the gateway, encode the
 * reply. Never throws: undecodable bytes and refused requests become a `SyncResponse` whose
 * `error` says why (with the client's watermarks, when the client is known).
 */
export interface WireHandler {
  push(request: Uint8Array): Uint8Array;
  pull(request: Uint8Array): Uint8Array;
}

/** Wraps a gateway in a `WireHandler`. */
export function createWireHandler(gateway: SyncGateway): WireHandler {
  const reply = (clientId: string, result: Result<SyncResponse, LakeSyncError>): Uint8Array =>
    encodeSyncResponse(result.ok ? result.value : gateway.errorResponse(clientId, result.error));
  return {
    push(request) {
      const push = decodeSyncPush(request);
      if (!push.ok) return encodeSyncResponse(gateway.errorResponse('', push.error));
      return reply(push.value.clientId, gateway.handlePush(push.value));
    },
    pull(request) {
      const pull = decodeSyncPull(request);
      if (!pull.ok) return encodeSyncResponse(gateway.errorResponse('', pull.error));
      return reply(pull.value.clientId, gateway.handlePull(pull.value));
    },
  };
}
