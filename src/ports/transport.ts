import type { TransportError } from '../result/errors';
import type { Result } from '../result/result';

/**
 * Carries encoded protobuf requests from a client to a gateway and brings back the encoded reply.
 * Contract: a request either yields the gateway's reply bytes or a `TransportError`; an error says
 * nothing about whether the gateway acted (the reply may have been lost after it did), so callers
 * retry and rely on idempotent pushes. Never throws.
 */
export interface Transport {
  /** Sends an encoded `SyncPush`; resolves to an encoded `SyncResponse`. */
  push(request: Uint8Array): Promise<Result<Uint8Array, TransportError>>;
  /** Sends an encoded `SyncPull`; resolves to an encoded `SyncResponse`. */
  pull(request: Uint8Array): Promise<Result<Uint8Array, TransportError>>;
}
