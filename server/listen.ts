import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Timers } from '../src/ports/timers';
import { LakeSyncError } from '../src/result/errors';
import { Err, Ok, type Result } from '../src/result/result';

/** How long `close` waits for in-flight requests before it drops their connections. */
export const CLOSE_GRACE_MS = 5_000;

/** The request handler every runtime serves: the Hono app's `fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A listening HTTP server on whichever runtime is running. */
export interface Listener {
  readonly port: number;
  readonly runtime: 'node' | 'bun';
  /** Stops accepting connections, lets in-flight requests finish, closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/** The slice of Bun's global that this file uses (no Bun types are installed). */
interface BunRuntime {
  serve(options: { fetch: FetchHandler; port: number; hostname: string }): {
    readonly port: number;
    stop(closeActiveConnections?: boolean): Promise<void> | void;
  };
}

/** Bun's global when running under Bun, else `null`. */
export function bunRuntime(): BunRuntime | null {
  const candidate = (globalThis as { Bun?: BunRuntime }).Bun;
  return candidate !== undefined && typeof candidate.serve === 'function' ? candidate : null;
}

/**
 * Serves `fetch` on `hostname:port` (0: the OS picks a free port) with the runtime's own server:
 * `Bun.serve` under Bun, `@hono/node-server` under Node. Never throws: a port in use or a bad
 * address is an `Err`.
 */
export async function listen(
  fetch: FetchHandler,
  port: number,
  hostname: string,
  timers: Timers,
): Promise<Result<Listener, LakeSyncError>> {
  const bun = bunRuntime();
  if (bun !== null) {
    // Bun's stop(false) waits for in-flight requests itself; no grace timer is needed.
    try {
      const server = bun.serve({ fetch, port, hostname });
      return Ok({
        port: server.port,
        runtime: 'bun',
        close: async () => {
          await server.stop(false);
        },
      });
    } catch (caught) {
      return Err(cannotListen(hostname, port, caught));
    }
  }
  const server = createAdaptorServer({ fetch });
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    server.listen(port, hostname, () => {
      server.off('error', resolve);
      resolve(null);
    });
  });
  if (listening !== null) return Err(cannotListen(hostname, port, listening));
  const address = server.address() as AddressInfo;
  return Ok({
    port: address.port,
    runtime: 'node',
    close: () =>
      new Promise<void>((resolve) => {
        const http = server as Partial<
          Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>
        >;
        const force = timers.schedule(() => http.closeAllConnections?.(), CLOSE_GRACE_MS);
        server.close(() => {
          timers.cancel(force);
          resolve();
        });
        http.closeIdleConnections?.();
      }),
  });
}

function cannotListen(hostname: string, port: number, caught: unknown): LakeSyncError {
  const cause = caught instanceof Error ? caught : new Error(String(caught));
  return new LakeSyncError(
    'LISTEN_FAILED',
    `cannot listen on ${hostname}:${port}: ${cause.message}`,
    cause,
  );
}
