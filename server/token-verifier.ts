import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../src/ports/clock';
import type { LakeSyncError } from '../src/result/errors';
import { Err, Ok, type Result } from '../src/result/result';
import { HTTP_ERROR_CODES, httpRefusal } from './http-status';

/** Shortest HS256 secret accepted, in characters (RFC 7518 wants a key at least as long as the hash). */
export const JWT_SECRET_CHARS_MIN = 32;
/** Verified tokens remembered so a client's every request does not pay for a signature check; oldest evicted first. */
export const TOKEN_CACHE_MAX = 10_000;
/** Longest `Authorization` header considered, in characters; anything longer is refused unread. */
export const AUTHORIZATION_CHARS_MAX = 8_192;

interface VerifiedToken {
  readonly subject: string;
  /** Expiry in ms since the epoch, or `null` when the token has no `exp`. */
  readonly expiresAtMs: number | null;
}

/**
 * Binds requests to client identities with HS256 JWTs (`jose`): `sub` is the clientId, `exp` is
 * optional. Time comes from the injected clock, so expiry is testable without waiting. Never
 * throws: every refusal is an `UNAUTHENTICATED` error saying why.
 */
export class TokenVerifier {
  readonly #key: Uint8Array;
  readonly #clock: Clock;
  readonly #cache = new Map<string, VerifiedToken>();

  /** `secret` must be at least `JWT_SECRET_CHARS_MIN` characters; check with `checkJwtSecret` first. */
  constructor(secret: string, clock: Clock) {
    this.#key = new TextEncoder().encode(secret);
    this.#clock = clock;
  }

  /** The subject (clientId) of a valid `Authorization: Bearer <jwt>` header. */
  async verify(authorization: string | undefined): Promise<Result<string, LakeSyncError>> {
    if (authorization === undefined || authorization.length === 0) {
      return refuse('no Authorization header; send "Authorization: Bearer <token>"');
    }
    if (authorization.length > AUTHORIZATION_CHARS_MAX) {
      return refuse(`Authorization header is over ${AUTHORIZATION_CHARS_MAX} characters`);
    }
    const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
    const token = match?.[1];
    if (token === undefined) return refuse('Authorization header is not "Bearer <token>"');
    const nowMs = this.#clock.now();
    const cached = this.#cache.get(token);
    if (cached !== undefined) {
      if (cached.expiresAtMs === null || cached.expiresAtMs > nowMs) return Ok(cached.subject);
      this.#cache.delete(token);
      return refuse('token has expired');
    }
    return this.#verifyFresh(token, nowMs);
  }

  /** Signs a token whose subject is `clientId`, expiring after `expiresInSeconds` when given. */
  async sign(clientId: string, expiresInSeconds?: number): Promise<string> {
    const nowSeconds = Math.floor(this.#clock.now() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuedAt(nowSeconds);
    if (expiresInSeconds !== undefined) jwt.setExpirationTime(nowSeconds + expiresInSeconds);
    return jwt.sign(this.#key);
  }

  async #verifyFresh(token: string, nowMs: number): Promise<Result<string, LakeSyncError>> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        currentDate: new Date(nowMs),
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
        return refuse('token has no subject (sub must be the clientId)');
      }
      const expiresAtMs = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
      this.#remember(token, { subject: payload.sub, expiresAtMs });
      return Ok(payload.sub);
    } catch (caught) {
      if (caught instanceof joseErrors.JWTExpired) return refuse('token has expired');
      const detail = caught instanceof Error ? caught.message : String(caught);
      return refuse(`token is not valid: ${detail}`);
    }
  }

  #remember(token: string, verified: VerifiedToken): void {
    if (this.#cache.size >= TOKEN_CACHE_MAX) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(token, verified);
  }
}

/** `Ok` when `secret` is long enough for HS256, else a message saying what is needed. */
export function checkJwtSecret(secret: string): Result<string, string> {
  if (secret.length < JWT_SECRET_CHARS_MIN) {
    return Err(
      `the JWT secret must be at least ${JWT_SECRET_CHARS_MIN} characters (got ${secret.length})`,
    );
  }
  return Ok(secret);
}

function refuse(message: string): Result<never, LakeSyncError> {
  return Err(httpRefusal(HTTP_ERROR_CODES.unauthenticated, message));
}
