import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { AdapterConfig } from '../../src/adapter/types';
import { AdapterError } from '../../src/result/errors';
import { Err, fromPromise, Ok, type Result } from '../../src/result/result';
import { withListObjectsV2 } from './s3rver-list-v2';

/**
 * An S3 server started in-process (the npm package `s3rver`) on a free loopback port: the gateway
 * server's default lake (`server/start.ts`, objects kept in a directory), and the lake of the
 * integration tests and of the simulator's lake round trip (`sim/lake/embedded-s3.ts` re-exports
 * this file). Works under Node and Bun, needs no Docker and no network beyond 127.0.0.1. Listings
 * are served by `s3rver-list-v2.ts`, because s3rver's own paging is broken on current runtimes.
 */

/** A running embedded S3 server and everything needed to reach it. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Ready for `new S3Adapter(config)`. */
  readonly config: AdapterConfig;
  /** Closes the server (and open connections) and removes its temporary directory. Never rejects. */
  stop(): Promise<void>;
}

/** Options for `startEmbeddedS3`. */
export interface EmbeddedS3Options {
  /** Bucket created at start. Default `lakesync`. */
  readonly bucket?: string;
  /** Where objects are stored. Default: a fresh temporary directory, removed by `stop()`. A
   * directory given here is left in place. */
  readonly directory?: string;
}

/** The embedded server's default bucket. */
export const EMBEDDED_S3_BUCKET = 'lakesync';
/** s3rver's built-in account; it does not check SigV4 signatures, but the key must exist. */
const S3RVER_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
const REGION = 'us-east-1';
const LOOPBACK = '127.0.0.1';

/**
 * Starts the server on `127.0.0.1` with port 0 (the OS picks a free port), silent, and creates the
 * bucket. Resolves to an `Err(AdapterError)` (never rejects) when the directory, the bucket or
 * the listening socket cannot be set up; nothing is left running or on disk in that case.
 */
export async function startEmbeddedS3(
  options: EmbeddedS3Options = {},
): Promise<Result<EmbeddedS3, AdapterError>> {
  const bucket = options.bucket ?? EMBEDDED_S3_BUCKET;
  const ownsDirectory = options.directory === undefined;
  const made = ownsDirectory
    ? await fromPromise(mkdtemp(join(tmpdir(), 'lakesync-s3-')))
    : Ok(options.directory as string);
  if (!made.ok) return Err(failure('cannot create its directory', made.error));
  const directory = made.value;
  const removeDirectory = async () => {
    if (ownsDirectory) await fromPromise(rm(directory, { recursive: true, force: true }));
  };

  const started = await fromPromise(listen(bucket, directory));
  if (!started.ok) {
    await removeDirectory();
    return Err(failure(`cannot start on ${LOOPBACK}`, started.error));
  }
  const server = started.value;
  const endpoint = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  const config: AdapterConfig = {
    endpoint,
    bucket,
    region: REGION,
    credentials: S3RVER_CREDENTIALS,
  };
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= closeServer(server).then(removeDirectory);
    return stopped;
  };
  return Ok({ endpoint, bucket, region: REGION, credentials: S3RVER_CREDENTIALS, config, stop });
}

/** Creates the bucket, then serves s3rver's request listener on a free loopback port. */
async function listen(bucket: string, directory: string): Promise<Server> {
  const s3rver = new S3rver({
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  await s3rver.configureBuckets();
  const server = createServer(withListObjectsV2(s3rver.store, s3rver.callback()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops accepting, drops idle keep-alive sockets (the SDK pools them), waits for the close. */
async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
  });
}

function failure(what: string, cause: Error): AdapterError {
  return new AdapterError(`embedded S3 server ${what}: ${cause.message}`, cause);
}
