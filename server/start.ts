import type { LakeAdapter } from '../src/adapter/types';
import { SyncGateway } from '../src/gateway/gateway';
import type { GatewayOptions } from '../src/gateway/options';
import type { Clock } from '../src/ports/clock';
import { systemClock, systemTimers } from '../src/ports/system';
import type { Timers } from '../src/ports/timers';
import { DEFAULT_CODEC_LIMITS } from '../src/proto/limits';
import { LakeSyncError, SchemaError } from '../src/result/errors';
import { Err, Ok, type Result } from '../src/result/result';
import { createGatewayApp } from './app';
import { type LakeChoice, openLake } from './lake/open-lake';
import { listen } from './listen';
import { ServerMetrics } from './metrics';
import { checkJwtSecret, TokenVerifier } from './token-verifier';

export type { LakeChoice } from './lake/open-lake';

/** How requests are bound to client identities. */
export type AuthChoice =
  /** HS256 JWTs whose `sub` is the clientId; the secret is at least `JWT_SECRET_CHARS_MIN` characters. */
  | { readonly kind: 'jwt'; readonly secret: string }
  /** Anyone may push and pull as anyone: local development only (a warning is logged). */
  | { readonly kind: 'none' };

/** The port the CLI listens on when none is given. */
export const DEFAULT_PORT = 8787;
/** Flush attempts `close` makes before giving up on an unreachable lake. */
export const CLOSE_FLUSH_ATTEMPTS_MAX = 8;

/** Options of `startGatewayServer`; only `auth` is required. */
export interface GatewayServerOptions {
  readonly auth: AuthChoice;
  /** Default 8787; 0 lets the OS pick a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly hostname?: string;
  /** Default: the embedded S3 server in a temporary directory (removed on close). */
  readonly lake?: LakeChoice;
  /** Names the gateway's objects; the same id over the same lake recovers. Default `gateway`. */
  readonly gatewayId?: string;
  readonly gatewayOptions?: Partial<GatewayOptions>;
  /** Mounts `POST /v1/dev/token` and `POST /v1/dev/flush`. Default false. */
  readonly devTokens?: boolean;
  /** Browser origins allowed by CORS. Default: none (no CORS headers). */
  readonly corsOrigin?: string | readonly string[];
  /** Largest request body, in bytes. Default: the codec's `messageBytesMax` (16 MiB). */
  readonly bodyBytesMax?: number;
  /** `Retry-After` seconds on BACKPRESSURE and GATEWAY_CLOSED replies. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Default `systemClock` (tests pass a `ManualClock`). */
  readonly clock?: Clock;
  /** Default `systemTimers` (tests pass `ManualTimers`). */
  readonly timers?: Timers;
  /** Where warnings and notices go. Default: nowhere. */
  readonly log?: (line: string) => void;
}

/** A running gateway server. */
export interface GatewayServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly runtime: 'node' | 'bun';
  readonly gatewayId: string;
  readonly gateway: SyncGateway;
  /** The lake the gateway writes to (read envelopes back through it). */
  readonly adapter: LakeAdapter;
  /** A token whose subject is `clientId` (`''` when auth is off). */
  issueToken(clientId: string, options?: { readonly expiresInSeconds?: number }): Promise<string>;
  /**
   * Stops accepting, lets in-flight requests finish (new ones get GATEWAY_CLOSED), flushes
   * everything unflushed unless `{ flush: false }` (which models a crash: memory is lost), then
   * stops the gateway and the embedded S3 server. Idempotent; never rejects.
   */
  close(options?: { readonly flush?: boolean }): Promise<void>;
}

/**
 * Opens a gateway over the chosen lake (recovering what it flushed before) and serves it over
 * HTTP. Resolves to an `Err` (never rejects) when the options are invalid, the lake cannot be
 * read or the port cannot be bound; nothing is left running then.
 */
export async function startGatewayServer(
  options: GatewayServerOptions,
): Promise<Result<GatewayServer, LakeSyncError>> {
  const checked = checkOptions(options);
  if (!checked.ok) return checked;
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const log = options.log ?? (() => undefined);
  const hostname = options.hostname ?? '127.0.0.1';
  const gatewayId = options.gatewayId ?? 'gateway';
  const lake = await openLake(options.lake ?? { kind: 'embedded' });
  if (!lake.ok) return lake;
  const opened = await SyncGateway.open({
    gatewayId,
    clock,
    timers,
    adapter: lake.value.adapter,
    options: options.gatewayOptions ?? {},
  });
  if (!opened.ok) {
    await lake.value.stop();
    return opened;
  }
  const gateway = opened.value;
  const verifier =
    options.auth.kind === 'jwt' ? new TokenVerifier(options.auth.secret, clock) : null;
  if (verifier === null) {
    log('WARNING: authentication is off (--no-auth): any client may push and pull as any clientId');
  }
  const issueToken = async (clientId: string, expiresInSeconds?: number) =>
    verifier === null ? '' : verifier.sign(clientId, expiresInSeconds);
  let draining = false;
  const app = createGatewayApp({
    gateway,
    verifier,
    metrics: new ServerMetrics(),
    bodyBytesMax: options.bodyBytesMax ?? DEFAULT_CODEC_LIMITS.messageBytesMax,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    isDraining: () => draining,
    corsOrigins: corsList(options.corsOrigin),
    dev:
      options.devTokens === true
        ? {
            gateway,
            issueToken,
            newClientId: () => `web-${globalThis.crypto.randomUUID().slice(0, 8)}`,
          }
        : null,
  });
  const listener = await listen(app.fetch, options.port ?? DEFAULT_PORT, hostname, timers);
  if (!listener.ok) {
    gateway.close();
    await lake.value.stop();
    return listener;
  }
  const port = listener.value.port;
  let closing: Promise<void> | null = null;
  const close = (closeOptions: { readonly flush?: boolean } = {}) => {
    closing ??= (async () => {
      draining = true;
      await listener.value.close();
      if (closeOptions.flush !== false) await flushAll(gateway, log);
      gateway.close();
      await lake.value.stop();
    })();
    return closing;
  };
  return Ok({
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
    port,
    runtime: listener.value.runtime,
    gatewayId,
    gateway,
    adapter: lake.value.adapter,
    issueToken: (clientId, tokenOptions) => issueToken(clientId, tokenOptions?.expiresInSeconds),
    close,
  });
}

/** Flushes until nothing is unflushed or the lake keeps refusing (bounded attempts). */
async function flushAll(gateway: SyncGateway, log: (line: string) => void): Promise<void> {
  for (let attempt = 0; attempt < CLOSE_FLUSH_ATTEMPTS_MAX; attempt++) {
    if (gateway.stats().unflushedDeltas === 0) return;
    const flushed = await gateway.flush();
    if (!flushed.ok) log(`flush on close failed: ${flushed.error.message}`);
  }
  const left = gateway.stats().unflushedDeltas;
  if (left > 0) log(`closing with ${left} unflushed deltas; clients will re-push them`);
}

function checkOptions(options: GatewayServerOptions): Result<void, LakeSyncError> {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return Err(new SchemaError(`port must be an integer 0..65535, got ${port}`));
  }
  const bodyBytesMax = options.bodyBytesMax ?? 1;
  if (!Number.isInteger(bodyBytesMax) || bodyBytesMax <= 0) {
    return Err(new SchemaError(`bodyBytesMax must be a positive integer, got ${bodyBytesMax}`));
  }
  if (options.auth.kind === 'jwt') {
    const secret = checkJwtSecret(options.auth.secret);
    if (!secret.ok) return Err(new LakeSyncError('BAD_SECRET', secret.error));
  }
  return Ok(undefined);
}

function corsList(origin: string | readonly string[] | undefined): readonly string[] | null {
  if (origin === undefined) return null;
  const list = typeof origin === 'string' ? [origin] : origin;
  return list.length === 0 ? null : list;
}
