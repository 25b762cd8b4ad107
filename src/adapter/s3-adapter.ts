import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AdapterError } from '../result/errors';
import { Err, fromPromise, Ok, type Result } from '../result/result';
import { adapterFailure } from './s3-errors';
import type { AdapterConfig, LakeAdapter, ObjectInfo } from './types';

/** Tuning of an `S3Adapter`; every field has a default suited to tests and the simulator. */
export interface S3AdapterOptions {
  /** Attempts per request, first try included (SDK retries with backoff). Default 2: a dead endpoint fails fast. */
  readonly maxAttempts?: number;
  /** Time allowed to open a TCP connection, in ms. Default 2 000. */
  readonly connectionTimeoutMs?: number;
  /** Time allowed for a request once connected, in ms. Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** Keys asked for per `listObjects` page (S3 caps it at 1 000). Default 1 000. */
  readonly listPageSize?: number;
  /** Keys per `DeleteObjects` request, at most `DELETE_BATCH_KEYS_MAX`. Default 1 000. */
  readonly deleteBatchSize?: number;
}

/** Keys per `DeleteObjects` request: the S3 maximum. */
export const DELETE_BATCH_KEYS_MAX = 1_000;
/** Pages one `listObjects` call follows before giving up (a server looping on its token). */
export const LIST_PAGES_MAX = 100_000;
/** Per-key failures quoted in a `deleteObjects` error message (the rest are counted). */
const DELETE_ERRORS_QUOTED_MAX = 5;

/**
 * `LakeAdapter` over any S3-compatible store (AWS S3, MinIO, the embedded test server) with
 * `@aws-sdk/client-s3`, path-style addressing. Guarantees: every method resolves to a `Result` and
 * never throws or rejects; each SDK call is wrapped once, and any failure (refused connection,
 * timeout, HTTP error, bad configuration) becomes an `AdapterError` naming the operation, the key
 * and the cause. A missing object on `getObject`/`headObject` is an `AdapterError` whose message
 * says "not found". Checksums are only sent where S3 requires them, so simple S3 implementations
 * work too.
 */
export class S3Adapter implements LakeAdapter {
  readonly #client: S3Client | null;
  readonly #bucket: string;
  readonly #listPageSize: number;
  readonly #deleteBatchSize: number;
  readonly #configProblem: string | null;

  /**
   * Never throws: a configuration the SDK refuses (e.g. an endpoint that is not a URL) is kept and
   * reported as an `AdapterError` by every call.
   */
  constructor(config: AdapterConfig, options: S3AdapterOptions = {}) {
    this.#bucket = config.bucket;
    this.#listPageSize = clampInteger(options.listPageSize, 1_000);
    this.#deleteBatchSize = clampInteger(options.deleteBatchSize, DELETE_BATCH_KEYS_MAX);
    const problem = configProblem(config);
    let client: S3Client | null = null;
    let clientProblem: string | null = problem;
    if (problem === null) {
      try {
        client = new S3Client({
          endpoint: config.endpoint,
          region: config.region ?? 'us-east-1',
          // A copy: the SDK writes bookkeeping onto the object it is given (and configs may be frozen).
          credentials: {
            accessKeyId: config.credentials.accessKeyId,
            secretAccessKey: config.credentials.secretAccessKey,
          },
          forcePathStyle: true,
          maxAttempts: options.maxAttempts ?? 2,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          requestHandler: {
            connectionTimeout: options.connectionTimeoutMs ?? 2_000,
            requestTimeout: options.requestTimeoutMs ?? 30_000,
          },
        });
      } catch (caught) {
        clientProblem = `the S3 client refused the configuration: ${String(caught)}`;
      }
    }
    this.#client = client;
    this.#configProblem = clientProblem;
  }

  /** Releases the client's pooled sockets. Later calls still resolve (to errors or results). */
  close(): void {
    this.#client?.destroy();
  }

  async putObject(
    path: string,
    data: Uint8Array,
    contentType = 'application/octet-stream',
  ): Promise<Result<void, AdapterError>> {
    const client = this.#clientOr('putObject', path);
    if (!client.ok) return client;
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: path,
      Body: data,
      ContentType: contentType,
      ContentLength: data.byteLength,
    });
    const sent = await fromPromise(client.value.send(command));
    return sent.ok ? Ok(undefined) : Err(adapterFailure('putObject', path, sent.error));
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const client = this.#clientOr('getObject', path);
    if (!client.ok) return client;
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: path });
    const read = await fromPromise(
      client.value.send(command).then(async (output) => {
        if (output.Body === undefined) return new Uint8Array(0);
        return output.Body.transformToByteArray();
      }),
    );
    return read.ok ? Ok(read.value) : Err(adapterFailure('getObject', path, read.error));
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const client = this.#clientOr('headObject', path);
    if (!client.ok) return client;
    const command = new HeadObjectCommand({ Bucket: this.#bucket, Key: path });
    const head = await fromPromise(client.value.send(command));
    if (!head.ok) return Err(adapterFailure('headObject', path, head.error));
    const { ContentLength, LastModified } = head.value;
    if (ContentLength === undefined || LastModified === undefined) {
      return Err(new AdapterError(`headObject ${path}: response lacks size or last-modified`));
    }
    return Ok({ size: ContentLength, lastModified: LastModified });
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const client = this.#clientOr('listObjects', prefix);
    if (!client.ok) return client;
    const objects: ObjectInfo[] = [];
    let token: string | undefined;
    for (let page = 0; page < LIST_PAGES_MAX; page++) {
      const command = new ListObjectsV2Command({
        Bucket: this.#bucket,
        Prefix: prefix,
        MaxKeys: this.#listPageSize,
        ContinuationToken: token,
      });
      const listed = await fromPromise(client.value.send(command));
      if (!listed.ok) return Err(adapterFailure('listObjects', prefix, listed.error));
      for (const entry of listed.value.Contents ?? []) {
        if (entry.Key === undefined) continue;
        objects.push({
          key: entry.Key,
          size: entry.Size ?? 0,
          lastModified: entry.LastModified ?? new Date(0),
        });
      }
      if (listed.value.IsTruncated !== true) return Ok(sortByKey(objects));
      token = listed.value.NextContinuationToken;
      if (token === undefined) {
        return Err(
          new AdapterError(`listObjects ${prefix}: truncated page without a continuation token`),
        );
      }
    }
    return Err(new AdapterError(`listObjects ${prefix}: more than ${LIST_PAGES_MAX} pages`));
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    const client = this.#clientOr('deleteObject', path);
    if (!client.ok) return client;
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: path });
    const sent = await fromPromise(client.value.send(command));
    return sent.ok ? Ok(undefined) : Err(adapterFailure('deleteObject', path, sent.error));
  }

  /**
   * Deletes in batches of `deleteBatchSize` (default and most `DELETE_BATCH_KEYS_MAX`). Every batch is attempted; if any key fails the
   * result is an `AdapterError` naming the failed keys (the others are gone).
   */
  async deleteObjects(paths: string[]): Promise<Result<void, AdapterError>> {
    if (paths.length === 0) return Ok(undefined);
    const client = this.#clientOr('deleteObjects', paths[0]!);
    if (!client.ok) return client;
    const failures: string[] = [];
    for (let start = 0; start < paths.length; start += this.#deleteBatchSize) {
      const batch = paths.slice(start, start + this.#deleteBatchSize);
      const command = new DeleteObjectsCommand({
        Bucket: this.#bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      });
      const sent = await fromPromise(client.value.send(command));
      if (!sent.ok) {
        const failure = adapterFailure('deleteObjects', `(${batch.length} keys)`, sent.error);
        failures.push(...batch.map((key) => `${key}: ${failure.message}`));
        continue;
      }
      for (const error of sent.value.Errors ?? []) {
        failures.push(
          `${error.Key ?? '?'}: ${error.Code ?? 'error'} ${error.Message ?? ''}`.trim(),
        );
      }
    }
    if (failures.length === 0) return Ok(undefined);
    const quoted = failures.slice(0, DELETE_ERRORS_QUOTED_MAX).join('; ');
    const more =
      failures.length > DELETE_ERRORS_QUOTED_MAX
        ? ` and ${failures.length - DELETE_ERRORS_QUOTED_MAX} more`
        : '';
    return Err(
      new AdapterError(
        `deleteObjects: ${failures.length} of ${paths.length} keys failed: ${quoted}${more}`,
      ),
    );
  }

  #clientOr(operation: string, key: string): Result<S3Client, AdapterError> {
    if (this.#client !== null) return Ok(this.#client);
    return Err(new AdapterError(`${operation} ${key}: ${this.#configProblem ?? 'no S3 client'}`));
  }
}

/** Checks what the SDK would otherwise only reject at the first request, or not at all. */
function configProblem(config: AdapterConfig): string | null {
  if (typeof config.bucket !== 'string' || config.bucket.length === 0) return 'bucket is empty';
  let url: URL;
  try {
    url = new URL(config.endpoint);
  } catch {
    return `endpoint ${JSON.stringify(config.endpoint)} is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `endpoint ${config.endpoint} must be http or https`;
  }
  return null;
}

/** An integer option in `[1, max]`; `max` when absent or not a number. */
function clampInteger(value: number | undefined, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return max;
  return Math.max(1, Math.min(max, Math.floor(value)));
}

function sortByKey(objects: ObjectInfo[]): ObjectInfo[] {
  return objects.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
}
