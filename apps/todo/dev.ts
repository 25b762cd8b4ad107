/**
 * `npm run todo`: the todo app against a local gateway, in one command. Starts the gateway
 * server (embedded S3 lake kept in a directory, so a restart recovers; a development JWT secret;
 * the dev-token route on), then the Vite dev server for `apps/todo/` forwarding `/v1` to the
 * gateway (same origin, so no CORS), and prints the URL. Ctrl-C flushes the gateway and stops both.
 *
 * Options: `--port N` (Vite, default 5173), `--gateway-port N` (default 8787), `--lake-dir DIR`
 * (default: `lakesync-todo-lake` in the system temporary directory).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { startGatewayServer } from '../../server/start';
import { todoViteConfig } from './vite-config';

/** For this local development server only: anyone who can reach it may ask it for a token. */
const DEV_JWT_SECRET = 'lakesync-todo-dev-secret-not-for-production-use';

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5173' },
      'gateway-port': { type: 'string', default: '8787' },
      'lake-dir': { type: 'string', default: join(tmpdir(), 'lakesync-todo-lake') },
    },
  });
  const started = await startGatewayServer({
    auth: { kind: 'jwt', secret: DEV_JWT_SECRET },
    port: Number(values['gateway-port']),
    lake: { kind: 'embedded', directory: values['lake-dir'] },
    devTokens: true,
    gatewayOptions: { flushAgeMs: 2_000 },
    log: (line) => console.error(`gateway: ${line}`),
  });
  if (!started.ok) {
    console.error(`todo: cannot start the gateway: ${started.error.message}`);
    return 1;
  }
  const gateway = started.value;
  const vite = await createServer(
    todoViteConfig({ gatewayUrl: gateway.url, port: Number(values.port) }),
  );
  await vite.listen();
  const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${values.port}/`;
  console.log(`gateway ${gateway.url} (lake in ${values['lake-dir']}, dev tokens on)`);
  console.log(`todo app: ${url}  (open it in two tabs or two browsers; Ctrl-C stops)`);
  return new Promise<number>((resolve) => {
    const stop = () => {
      console.error('todo: stopping (flushing the gateway to the lake)');
      void vite.close().then(() => gateway.close().then(() => resolve(0)));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

void main().then((code) => process.exit(code));
