/**
 * The part of `s3rver` (a fake S3 server for Node, shipped without types) that
 * `server/lake/embedded-s3.ts` and `server/lake/s3rver-list-v2.ts` use.
 */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverBucketConfig {
    readonly name: string;
  }

  interface S3rverOptions {
    readonly address?: string;
    readonly port?: number;
    readonly silent?: boolean;
    readonly directory?: string;
    readonly resetOnClose?: boolean;
    readonly allowMismatchedSignatures?: boolean;
    readonly vhostBuckets?: boolean;
    readonly configureBuckets?: readonly S3rverBucketConfig[];
  }

  /** An object as s3rver's store lists it. */
  interface S3rverStoredObject {
    readonly key: string;
    readonly size: number;
    readonly lastModifiedDate: Date;
    readonly metadata: Readonly<Record<string, string | undefined>>;
  }

  /** s3rver's filesystem store. */
  interface S3rverStore {
    getBucket(bucket: string): Promise<object | null>;
    listObjects(
      bucket: string,
      options: { readonly prefix?: string; readonly startAfter?: string },
    ): Promise<{ readonly objects: readonly S3rverStoredObject[]; readonly isTruncated: boolean }>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    readonly store: S3rverStore;
    /** Creates the buckets listed in `configureBuckets` (without starting a server). */
    configureBuckets(): Promise<unknown>;
    /** A Node request listener serving the S3 API (Koa's `callback()`). */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export = S3rver;
}
