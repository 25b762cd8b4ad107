import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { SyncGateway } from '../src/gateway/gateway';
import { type DevRouteDeps, devRoutes } from './dev-routes';
import { HTTP_ERROR_CODES, httpRefusal } from './http-status';
import type { ServerMetrics } from './metrics';
import { protobufReply, type SyncRouteDeps, serveSync } from './sync-route';

/** Everything the HTTP app is built from; the server (`start.ts`) wires it. */
export interface GatewayAppDeps extends SyncRouteDeps {
  readonly gateway: SyncGateway;
  readonly metrics: ServerMetrics;
  /** Enables `POST /v1/dev/token` and `POST /v1/dev/flush`; never on in production. */
  readonly dev: DevRouteDeps | null;
  /** Origins allowed to call from a browser; `null` sends no CORS headers. */
  readonly corsOrigins: readonly string[] | null;
}

/**
 * The gateway's HTTP surface as one Hono app, the same on Node (`@hono/node-server`), Bun
 * (`Bun.serve`) and, later, Workers:
 *
 * | route                 | reply                                                    |
 * |-----------------------|----------------------------------------------------------|
 * | `POST /v1/sync/push`  | encoded `SyncResponse` (protobuf), see `serveSync`       |
 * | `POST /v1/sync/pull`  | encoded `SyncResponse` (protobuf)                        |
 * | `GET /healthz`        | JSON `{ ok, gatewayId, durableHlc }`; 503 while draining |
 * | `GET /metrics`        | Prometheus text                                          |
 * | anything else         | 404 with an encoded `SyncResponse` whose error is NOT_FOUND |
 *
 * An exception escaping a handler (a bug) is answered with a 500 `INTERNAL` reply, never a crash.
 */
export function createGatewayApp(deps: GatewayAppDeps): Hono {
  const app = new Hono();
  const { gateway, metrics } = deps;
  if (deps.corsOrigins !== null) {
    app.use(
      '*',
      cors({
        origin: [...deps.corsOrigins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Retry-After'],
        maxAge: 600,
      }),
    );
  }
  app.post('/v1/sync/push', (c) => serveSync('push', c.req.raw, deps));
  app.post('/v1/sync/pull', (c) => serveSync('pull', c.req.raw, deps));
  app.get('/healthz', (c) =>
    c.json(
      {
        ok: !deps.isDraining(),
        gatewayId: gateway.gatewayId,
        durableHlc: gateway.stats().durableHlc.toString(),
      },
      deps.isDraining() ? 503 : 200,
    ),
  );
  app.get('/metrics', (c) => {
    const text = metrics.render({
      stats: gateway.stats(),
      lastHlc: gateway.lastHlc(),
      epoch: gateway.epoch,
    });
    return c.text(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  if (deps.dev !== null) devRoutes(app, deps.dev);
  app.notFound((c) => {
    const error = httpRefusal(
      HTTP_ERROR_CODES.notFound,
      `no route ${c.req.method} ${new URL(c.req.url).pathname}`,
    );
    metrics.countRejection(error.code);
    return protobufReply(gateway.errorResponse('', error), deps.retryAfterSeconds);
  });
  app.onError((caught) => {
    const message = caught instanceof Error ? caught.message : String(caught);
    const error = httpRefusal(HTTP_ERROR_CODES.internal, `internal error: ${message}`);
    metrics.countRejection(error.code);
    return protobufReply(gateway.errorResponse('', error), deps.retryAfterSeconds);
  });
  return app;
}
