import type { LakeAdapter } from '../../src/adapter/types';
import { Err, Ok, type Result } from '../../src/result/result';

/** A real S3 store to round-trip the lake through, and how to let it go. */
export interface LakeTarget {
  readonly adapter: LakeAdapter;
  /** For printing, e.g. `embedded S3 at http://127.0.0.1:4568/lakesync`. */
  readonly description: string;
  close(): Promise<void>;
}

/** The bucket used at `--endpoint` when `--bucket` is not given. */
export const DEFAULT_BUCKET = 'lakesync';
/** Region sent to `--endpoint` (MinIO ignores it; the SDK needs one). */
export const DEFAULT_REGION = 'us-east-1';

/**
 * Opens the store of the lake round trip: the embedded S3 server started in-process
 * (`sim/lake/embedded-s3.ts`), or the server at `endpoint` with credentials from
 * `LAKESYNC_S3_ACCESS_KEY_ID` / `LAKESYNC_S3_SECRET_ACCESS_KEY` (default `lakesync` /
 * `lakesync123`), reached through `S3Adapter`. Both modules load only when a round trip runs, so
 * `--lake none` needs neither. Never throws: a server that cannot start is an `Err`.
 */
export async function openLakeTarget(
  target: { readonly endpoint: string | null; readonly bucket: string | null },
  env: Readonly<Record<string, string | undefined>>,
): Promise<Result<LakeTarget, string>> {
  try {
    const { S3Adapter } = await import('../../src/adapter/s3-adapter');
    if (target.endpoint !== null) {
      const bucket = target.bucket ?? DEFAULT_BUCKET;
      const adapter = new S3Adapter({
        endpoint: target.endpoint,
        bucket,
        region: DEFAULT_REGION,
        credentials: {
          accessKeyId: env.LAKESYNC_S3_ACCESS_KEY_ID ?? 'lakesync',
          secretAccessKey: env.LAKESYNC_S3_SECRET_ACCESS_KEY ?? 'lakesync123',
        },
      });
      const description = `S3 at ${target.endpoint}/${bucket}`;
      return Ok({ adapter, description, close: async () => {} });
    }
    const { startEmbeddedS3 } = await import('../lake/embedded-s3');
    const started = await startEmbeddedS3();
    if (!started.ok) return Err(`the embedded S3 server did not start: ${started.error.message}`);
    const server = started.value;
    return Ok({
      adapter: new S3Adapter(server.config),
      description: `embedded S3 at ${server.endpoint}/${server.bucket}`,
      close: () => server.stop(),
    });
  } catch (caught) {
    return Err(
      `the lake round trip cannot start: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
}
