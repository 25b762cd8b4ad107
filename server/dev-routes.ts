import type { Hono } from 'hono';
import type { SyncGateway } from '../src/gateway/gateway';

/** Longest clientId the dev-token route hands out. */
export const DEV_CLIENT_ID_CHARS_MAX = 64;
/** Lifetime of a dev token: a day, so a forgotten tab stops working but a working day does not. */
export const DEV_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/** What the development routes need. */
export interface DevRouteDeps {
  readonly gateway: SyncGateway;
  /** Signs a token for `clientId` (an empty string when authentication is off). */
  readonly issueToken: (clientId: string, expiresInSeconds: number) => Promise<string>;
  /** A fresh clientId for a caller that does not name one. */
  readonly newClientId: () => string;
}

/**
 * Development-only routes, mounted only when the server is started with `--dev-tokens`:
 * `POST /v1/dev/token` (optional `clientId` in a JSON body or the query) returns
 * `{ clientId, token }`, so a local app can obtain an identity without an identity provider;
 * `POST /v1/dev/flush` flushes the gateway now and returns `{ ok, durableHlc }`.
 */
export function devRoutes(app: Hono, deps: DevRouteDeps): void {
  app.post('/v1/dev/token', async (c) => {
    const fromQuery = c.req.query('clientId');
    const fromBody = await readClientIdFromBody(c.req.raw);
    const requested = fromQuery ?? fromBody;
    if (requested !== undefined && !isDevClientId(requested)) {
      return c.json(
        {
          error: `clientId must be 1..${DEV_CLIENT_ID_CHARS_MAX} characters of A-Z a-z 0-9 . _ -`,
        },
        400,
      );
    }
    const clientId = requested ?? deps.newClientId();
    const token = await deps.issueToken(clientId, DEV_TOKEN_TTL_SECONDS);
    return c.json({ clientId, token }, 200, { 'cache-control': 'no-store' });
  });
  app.post('/v1/dev/flush', async (c) => {
    const flushed = await deps.gateway.flush();
    const durableHlc = deps.gateway.stats().durableHlc.toString();
    return flushed.ok
      ? c.json({ ok: true, durableHlc })
      : c.json({ ok: false, durableHlc, error: flushed.error.message }, 503);
  });
}

/** True for a clientId the dev route accepts. */
export function isDevClientId(value: string): boolean {
  return (
    value.length > 0 && value.length <= DEV_CLIENT_ID_CHARS_MAX && CLIENT_ID_PATTERN.test(value)
  );
}

/** The `clientId` of a small JSON body, if any; anything else (no body, not JSON) is ignored. */
async function readClientIdFromBody(request: Request): Promise<string | undefined> {
  try {
    const text = await request.text();
    if (text.length === 0 || text.length > 1_024) return undefined;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const clientId = (parsed as { clientId?: unknown }).clientId;
    return typeof clientId === 'string' ? clientId : undefined;
  } catch {
    return undefined;
  }
}
