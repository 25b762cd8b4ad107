import { mkdir } from 'node:fs/promises';
import { S3Adapter } from '../../src/adapter/s3-adapter';
import type { AdapterConfig, LakeAdapter } from '../../src/adapter/types';
import { AdapterError } from '../../src/result/errors';
import { Err, fromPromise, Ok, type Result } from '../../src/result/result';
import { startEmbeddedS3 } from './embedded-s3';

/** Where the gateway keeps its lake. */
export type LakeChoice =
  /** The in-process S3 server; `directory` keeps the objects across restarts (default: a temp dir removed on close). */
  | { readonly kind: 'embedded'; readonly directory?: string }
  /** An S3-compatible store (MinIO, AWS S3). */
  | { readonly kind: 's3'; readonly config: AdapterConfig }
  /** Any adapter (a `MemoryAdapter` in tests and benchmarks); the caller owns its lifetime. */
  | { readonly kind: 'adapter'; readonly adapter: LakeAdapter };

/** An open lake: the adapter the gateway writes through, and how to let go of it. */
export interface OpenLake {
  readonly adapter: LakeAdapter;
  /** For people: where the objects go. */
  readonly description: string;
  /** The S3 configuration, when the lake is an S3 store (embedded or not). */
  readonly config: AdapterConfig | null;
  /** Stops the embedded server if there is one. Never rejects. */
  stop(): Promise<void>;
}

/** Opens the chosen lake; never throws. The embedded server's directory is created if missing. */
export async function openLake(choice: LakeChoice): Promise<Result<OpenLake, AdapterError>> {
  switch (choice.kind) {
    case 'adapter':
      return Ok({
        adapter: choice.adapter,
        description: 'an injected adapter',
        config: null,
        stop: async () => undefined,
      });
    case 's3':
      return Ok({
        adapter: new S3Adapter(choice.config),
        description: `s3 ${choice.config.endpoint} bucket ${choice.config.bucket}`,
        config: choice.config,
        stop: async () => undefined,
      });
    case 'embedded': {
      if (choice.directory !== undefined) {
        const made = await fromPromise(mkdir(choice.directory, { recursive: true }));
        if (!made.ok) {
          return Err(
            new AdapterError(
              `cannot create the lake directory ${choice.directory}: ${made.error.message}`,
              made.error,
            ),
          );
        }
      }
      const started = await startEmbeddedS3(
        choice.directory === undefined ? {} : { directory: choice.directory },
      );
      if (!started.ok) return started;
      const s3 = started.value;
      return Ok({
        adapter: new S3Adapter(s3.config),
        description: `embedded S3 ${choice.directory ?? '(temporary directory)'}`,
        config: s3.config,
        stop: () => s3.stop(),
      });
    }
  }
}
