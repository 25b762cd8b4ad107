import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

/** The todo app's folder (Vite's root). */
export const TODO_ROOT = dirname(fileURLToPath(import.meta.url));
/** The repository root: the app imports the client straight from `src/`. */
export const REPO_ROOT = resolve(TODO_ROOT, '../..');

/** Where the todo app's Vite servers listen and which gateway they forward to. */
export interface TodoViteOptions {
  /** The gateway server's URL (`http://127.0.0.1:8787`); `/v1` and `/healthz` are proxied to it. */
  readonly gatewayUrl: string;
  /** Default 5173; 0 picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Where `vite build` writes the bundle. Default `apps/todo/dist`. */
  readonly outDir?: string;
  /** Default `info`; tests pass `silent`. */
  readonly logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

/**
 * One Vite configuration for the dev server (`npm run todo`), `vite build` and `vite preview`
 * (the browser tests). The page talks to the gateway on its own origin: Vite forwards `/v1/*`, so
 * the gateway needs no CORS. No config file is read: everything is here.
 */
export function todoViteConfig(options: TodoViteOptions): InlineConfig {
  const proxy = {
    '/v1': { target: options.gatewayUrl, changeOrigin: true },
    '/healthz': { target: options.gatewayUrl, changeOrigin: true },
  };
  const listen = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 5173,
    strictPort: options.port !== undefined && options.port !== 0,
    proxy,
  };
  return {
    configFile: false,
    root: TODO_ROOT,
    logLevel: options.logLevel ?? 'info',
    clearScreen: false,
    server: { ...listen, fs: { allow: [REPO_ROOT] } },
    preview: listen,
    build: {
      outDir: options.outDir ?? resolve(TODO_ROOT, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
    },
  };
}
