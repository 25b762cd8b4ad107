import type { AdapterError } from '../result/errors';
import type { Result } from '../result/result';

/** What a listing says about one stored object. */
export interface ObjectInfo {
  /** The S3 object key (AWS SDK terminology). */
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** Where and how to reach an S3-compatible store (AWS S3, MinIO, the embedded test server). */
export interface AdapterConfig {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region?: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Object storage behind a small interface. Contract: every method resolves to a `Result` and never
 * throws or rejects; a refused connection, a missing object or a failed write is an `AdapterError`.
 * `putObject` replaces any object at the same key (last writer wins); `listObjects` returns every
 * key under the prefix in lexicographic order; deleting a missing key succeeds.
 */
export interface LakeAdapter {
  putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>>;
  getObject(path: string): Promise<Result<Uint8Array, AdapterError>>;
  headObject(path: string): Promise<Result<{ size: number; lastModified: Date }, AdapterError>>;
  listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>>;
  deleteObject(path: string): Promise<Result<void, AdapterError>>;
  deleteObjects(paths: string[]): Promise<Result<void, AdapterError>>;
}
