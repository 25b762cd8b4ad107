import { parseArgs } from 'node:util';
import { Err, Ok, type Result } from '../src/result/result';
import type { GatewayServerOptions } from './start';
import { DEFAULT_PORT } from './start';
import { checkJwtSecret } from './token-verifier';

/** Where the CLI keeps the embedded lake when neither `--lake-dir` nor `--endpoint` is given. */
export const DEFAULT_LAKE_DIR = '.lakesync/lake';

/** What the command line asks for. */
export type CliPlan =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'run';
      readonly options: GatewayServerOptions;
      /** Things to tell the operator at start (a generated secret, the lake in use). */
      readonly notices: readonly string[];
    };

/** The environment variables read, by option (a flag wins over its variable). */
const ENV = {
  port: 'LAKESYNC_PORT',
  host: 'LAKESYNC_HOST',
  'lake-dir': 'LAKESYNC_LAKE_DIR',
  endpoint: 'LAKESYNC_S3_ENDPOINT',
  bucket: 'LAKESYNC_S3_BUCKET',
  region: 'LAKESYNC_S3_REGION',
  'gateway-id': 'LAKESYNC_GATEWAY_ID',
  'jwt-secret': 'LAKESYNC_JWT_SECRET',
  'cors-origin': 'LAKESYNC_CORS_ORIGIN',
  'flush-age-ms': 'LAKESYNC_FLUSH_AGE_MS',
  'body-bytes-max': 'LAKESYNC_BODY_BYTES_MAX',
  'no-auth': 'LAKESYNC_NO_AUTH',
  'dev-tokens': 'LAKESYNC_DEV_TOKENS',
} as const;

export const HELP_TEXT = `LakeSync gateway server

Usage: npm run gateway -- [options]      (Node)
       bun run gateway [options]         (Bun)

Options (each also from an environment variable):
  --port, -p <n>        port to listen on; 0 picks a free one (LAKESYNC_PORT, default ${DEFAULT_PORT})
  --host <addr>         address to bind (LAKESYNC_HOST, default 127.0.0.1)
  --lake-dir <dir>      embedded S3 lake directory, kept across restarts
                        (LAKESYNC_LAKE_DIR, default ${DEFAULT_LAKE_DIR})
  --endpoint <url>      use an S3-compatible store (MinIO, S3) instead (LAKESYNC_S3_ENDPOINT);
                        credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  --bucket <name>       bucket on that store (LAKESYNC_S3_BUCKET, default lakesync)
  --region <name>       region of that store (LAKESYNC_S3_REGION or AWS_REGION, default us-east-1)
  --gateway-id <id>     names this gateway's objects; keep it to recover (LAKESYNC_GATEWAY_ID, default gateway)
  --jwt-secret <s>      HS256 secret, at least 32 characters (LAKESYNC_JWT_SECRET); tokens'
                        sub is the clientId
  --no-auth             accept requests without tokens: local development only (LAKESYNC_NO_AUTH=1)
  --dev-tokens          serve POST /v1/dev/token and /v1/dev/flush for local apps; without a
                        secret a random one is made per run (LAKESYNC_DEV_TOKENS=1)
  --cors-origin <o,..>  browser origins allowed by CORS, comma-separated (LAKESYNC_CORS_ORIGIN)
  --flush-age-ms <n>    flush when the oldest unflushed delta is this old (LAKESYNC_FLUSH_AGE_MS)
  --body-bytes-max <n>  largest request body (LAKESYNC_BODY_BYTES_MAX, default 16 MiB)
  --help, -h            show this text

Routes: POST /v1/sync/push, POST /v1/sync/pull (application/x-protobuf), GET /healthz, GET /metrics.
SIGTERM or SIGINT stops accepting requests, flushes to the lake and exits 0.
`;

/**
 * Turns the command line and the environment into server options. Never throws: an unknown flag,
 * a bad number or a missing secret is an `Err` with a message for the operator.
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<CliPlan, string> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'lake-dir': { type: 'string' },
        endpoint: { type: 'string' },
        bucket: { type: 'string' },
        region: { type: 'string' },
        'gateway-id': { type: 'string' },
        'jwt-secret': { type: 'string' },
        'cors-origin': { type: 'string' },
        'flush-age-ms': { type: 'string' },
        'body-bytes-max': { type: 'string' },
        'no-auth': { type: 'boolean' },
        'dev-tokens': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (caught) {
    return Err(caught instanceof Error ? caught.message : String(caught));
  }
  if (values.help === true) return Ok({ kind: 'help', text: HELP_TEXT });
  const text = (name: keyof typeof ENV): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = env[ENV[name]];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const flag = (name: 'no-auth' | 'dev-tokens'): boolean =>
    values[name] === true || ['1', 'true', 'yes'].includes((env[ENV[name]] ?? '').toLowerCase());
  const port = integer('port', text('port'), DEFAULT_PORT, 0);
  if (!port.ok) return port;
  const flushAgeMs = optionalInteger('flush-age-ms', text('flush-age-ms'));
  if (!flushAgeMs.ok) return flushAgeMs;
  const bodyBytesMax = optionalInteger('body-bytes-max', text('body-bytes-max'));
  if (!bodyBytesMax.ok) return bodyBytesMax;
  const notices: string[] = [];
  const lake = lakeFrom(text, env, notices);
  if (!lake.ok) return lake;
  const devTokens = flag('dev-tokens');
  const auth = authFrom(flag('no-auth'), text('jwt-secret'), devTokens, notices);
  if (!auth.ok) return auth;
  const cors = text('cors-origin')
    ?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  const options: GatewayServerOptions = {
    auth: auth.value,
    port: port.value,
    hostname: text('host') ?? '127.0.0.1',
    lake: lake.value,
    gatewayId: text('gateway-id') ?? 'gateway',
    devTokens,
    ...(cors === undefined ? {} : { corsOrigin: cors }),
    ...(bodyBytesMax.value === undefined ? {} : { bodyBytesMax: bodyBytesMax.value }),
    ...(flushAgeMs.value === undefined ? {} : { gatewayOptions: { flushAgeMs: flushAgeMs.value } }),
  };
  return Ok({ kind: 'run', options, notices });
}

function lakeFrom(
  text: (name: keyof typeof ENV) => string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  notices: string[],
): Result<NonNullable<GatewayServerOptions['lake']>, string> {
  const endpoint = text('endpoint');
  if (endpoint === undefined) {
    const directory = text('lake-dir') ?? DEFAULT_LAKE_DIR;
    notices.push(`lake: embedded S3 in ${directory}`);
    return Ok({ kind: 'embedded', directory });
  }
  const accessKeyId = env.LAKESYNC_S3_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.LAKESYNC_S3_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    return Err('--endpoint needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment');
  }
  const bucket = text('bucket') ?? 'lakesync';
  notices.push(`lake: ${endpoint} bucket ${bucket}`);
  return Ok({
    kind: 's3',
    config: {
      endpoint,
      bucket,
      region: text('region') ?? env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
    },
  });
}

function authFrom(
  noAuth: boolean,
  secret: string | undefined,
  devTokens: boolean,
  notices: string[],
): Result<GatewayServerOptions['auth'], string> {
  if (noAuth) return Ok({ kind: 'none' });
  if (secret !== undefined) {
    const checked = checkJwtSecret(secret);
    return checked.ok ? Ok({ kind: 'jwt', secret }) : Err(checked.error);
  }
  if (devTokens) {
    notices.push('no --jwt-secret: signing dev tokens with a random secret made for this run');
    return Ok({ kind: 'jwt', secret: randomSecret() });
  }
  return Err(
    'no JWT secret: pass --jwt-secret or LAKESYNC_JWT_SECRET (or --no-auth for local development)',
  );
}

function randomSecret(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
): Result<number, string> {
  if (raw === undefined) return Ok(fallback);
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    return Err(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return Ok(value);
}

function optionalInteger(
  name: string,
  raw: string | undefined,
): Result<number | undefined, string> {
  if (raw === undefined) return Ok(undefined);
  return integer(name, raw, 0, 1);
}
