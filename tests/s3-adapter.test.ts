import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from '../sim/lake/embedded-s3';
import { S3Adapter, type S3AdapterOptions } from '../src/adapter/s3-adapter';
import type { AdapterConfig } from '../src/adapter/types';
import { AdapterError } from '../src/result/errors';
import { unwrapOrThrow } from '../src/result/result';
import { probeDockerEngine, probeHttp } from './support/docker';

/**
 * `S3Adapter` against real S3 servers over HTTP: always the embedded server (s3rver, in-process),
 * and MinIO in a container when a Docker engine answers. The same cases run against both.
 */

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A running S3 server for one suite. */
interface S3Target {
  readonly config: AdapterConfig;
  stop(): Promise<void>;
}

function defineAdapterSuite(getTarget: () => S3Target): void {
  let adapter: S3Adapter;
  let run = 0;
  /** A fresh prefix per test, so the cases never see each other's objects. */
  const prefix = () => `t${++run}-${Date.now().toString(36)}/`;

  beforeAll(() => {
    adapter = new S3Adapter(getTarget().config);
  });
  afterAll(() => adapter.close());

  it('1. putObject then getObject returns the same bytes', async () => {
    const key = `${prefix()}binary.bin`;
    const data = new Uint8Array([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]);
    unwrapOrThrow(await adapter.putObject(key, data));
    expect(unwrapOrThrow(await adapter.getObject(key))).toEqual(data);
  });

  it('2. putObject overwrites an existing object', async () => {
    const key = `${prefix()}doc.json`;
    unwrapOrThrow(await adapter.putObject(key, bytes('{"v":1}'), 'application/json'));
    unwrapOrThrow(await adapter.putObject(key, bytes('{"v":2,"longer":true}'), 'application/json'));
    expect(text(unwrapOrThrow(await adapter.getObject(key)))).toBe('{"v":2,"longer":true}');
  });

  it('3. getObject of a missing key is an AdapterError saying not found', async () => {
    const result = await adapter.getObject(`${prefix()}missing.json`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(AdapterError);
    expect(result.error.message).toMatch(/not found/);
    expect(result.error.message).toContain('missing.json');
  });

  it('4. headObject gives the size and a recent last-modified date', async () => {
    const key = `${prefix()}sized.bin`;
    const before = Date.now();
    unwrapOrThrow(await adapter.putObject(key, new Uint8Array(1234)));
    const head = unwrapOrThrow(await adapter.headObject(key));
    expect(head.size).toBe(1234);
    expect(head.lastModified).toBeInstanceOf(Date);
    // S3 dates have one-second resolution; allow for that and for clock differences.
    expect(Math.abs(head.lastModified.getTime() - before)).toBeLessThan(60_000);
    const missing = await adapter.headObject(`${key}.nope`);
    expect(!missing.ok && missing.error.message).toMatch(/not found/);
  });

  it('5. listObjects returns only keys under the prefix, sorted, with sizes', async () => {
    const base = prefix();
    for (const key of ['b/2.json', 'a/1.json', 'b/1.json', 'c.json']) {
      unwrapOrThrow(await adapter.putObject(`${base}${key}`, bytes(key)));
    }
    const listed = unwrapOrThrow(await adapter.listObjects(`${base}b/`));
    expect(listed.map((object) => object.key)).toEqual([`${base}b/1.json`, `${base}b/2.json`]);
    expect(listed.map((object) => object.size)).toEqual([8, 8]);
    expect(unwrapOrThrow(await adapter.listObjects(`${base}zzz/`))).toEqual([]);
  });

  it('6. deleteObject removes the object (and deleting a missing key succeeds)', async () => {
    const key = `${prefix()}gone.json`;
    unwrapOrThrow(await adapter.putObject(key, bytes('x')));
    unwrapOrThrow(await adapter.deleteObject(key));
    const result = await adapter.getObject(key);
    expect(!result.ok && result.error.message).toMatch(/not found/);
    expect((await adapter.deleteObject(key)).ok).toBe(true);
  });

  it('7. deleteObjects removes a batch, missing keys included', async () => {
    const base = prefix();
    const keys = ['1', '2', '3', '4'].map((name) => `${base}${name}.json`);
    for (const key of keys) unwrapOrThrow(await adapter.putObject(key, bytes(key)));
    unwrapOrThrow(await adapter.deleteObjects([...keys.slice(0, 3), `${base}never.json`]));
    const left = unwrapOrThrow(await adapter.listObjects(base));
    expect(left.map((object) => object.key)).toEqual([keys[3]]);
    expect((await adapter.deleteObjects([])).ok).toBe(true);
  });

  it('pages listObjects with continuation tokens and deletes in batches', async () => {
    const base = prefix();
    const keys = Array.from(
      { length: 23 },
      (_, index) => `${base}${String(index).padStart(3, '0')}`,
    );
    await putAll(adapter, [...keys].reverse());
    const small = new S3Adapter(getTarget().config, { listPageSize: 5, deleteBatchSize: 4 });
    const listed = unwrapOrThrow(await small.listObjects(base));
    expect(listed.map((object) => object.key)).toEqual(keys);
    unwrapOrThrow(await small.deleteObjects(keys.slice(0, 21)));
    const left = unwrapOrThrow(await small.listObjects(base));
    small.close();
    expect(left.map((object) => object.key)).toEqual(keys.slice(21));
  });
}

/** Puts tiny objects a few at a time (servers dislike a thousand parallel requests). */
async function putAll(adapter: S3Adapter, keys: readonly string[]): Promise<void> {
  const parallel = 16;
  for (let start = 0; start < keys.length; start += parallel) {
    const batch = keys.slice(start, start + parallel);
    const results = await Promise.all(batch.map((key) => adapter.putObject(key, bytes('.'))));
    for (const result of results) unwrapOrThrow(result);
  }
}

describe('S3Adapter against the embedded S3 server', () => {
  let server: EmbeddedS3;
  beforeAll(async () => {
    server = unwrapOrThrow(await startEmbeddedS3({ bucket: 'lakesync-test' }));
  });
  afterAll(() => server.stop());

  defineAdapterSuite(() => server);

  it('8. a refused connection is an AdapterError, quickly, never a throw', async () => {
    const dead = unwrapOrThrow(await startEmbeddedS3());
    await dead.stop();
    const adapter = new S3Adapter(dead.config);
    const startedAt = Date.now();
    const results = await Promise.all([
      adapter.getObject('x'),
      adapter.putObject('x', bytes('x')),
      adapter.headObject('x'),
      adapter.listObjects(''),
      adapter.deleteObject('x'),
      adapter.deleteObjects(['x', 'y']),
    ]);
    adapter.close();
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const batch = results[5]!;
    expect(!batch.ok && batch.error.message).toMatch(/2 of 2 keys failed: x: /);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(AdapterError);
        expect(result.error.message).toMatch(/ECONNREFUSED|connect/i);
      }
    }
  });

  it('refuses an unusable configuration with an AdapterError from every call', async () => {
    const options: S3AdapterOptions = { maxAttempts: 1 };
    const adapter = new S3Adapter({ ...server.config, endpoint: 'not a url' }, options);
    const result = await adapter.putObject('k', bytes('x'));
    expect(!result.ok && result.error.message).toMatch(/not a URL/);
  });

  it('reports a missing bucket as an AdapterError naming the key', async () => {
    const adapter = new S3Adapter({ ...server.config, bucket: 'no-such-bucket' });
    const result = await adapter.putObject('deltas/k.json', bytes('x'));
    adapter.close();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/deltas\/k\.json/);
  });
});

const docker = await probeDockerEngine();
if (!docker.available) {
  console.info(`S3Adapter MinIO suite skipped: no Docker engine (${docker.reason}).`);
}

describe.skipIf(!docker.available)('S3Adapter against MinIO (testcontainers)', () => {
  const bucket = 'lakesync-test';
  let target: S3Target | null = null;

  beforeAll(async () => {
    const { MinioContainer } = await import('@testcontainers/minio');
    const container = await new MinioContainer('minio/minio:RELEASE.2025-04-22T22-12-26Z')
      .withUsername('lakesync')
      .withPassword('lakesync123')
      .start();
    const endpoint = container.getConnectionUrl();
    if (!(await probeHttp(`${endpoint}/minio/health/live`))) {
      await container.stop();
      throw new Error(`MinIO started but ${endpoint} does not answer`);
    }
    const config: AdapterConfig = {
      endpoint,
      bucket,
      region: 'us-east-1',
      credentials: {
        accessKeyId: container.getUsername(),
        secretAccessKey: container.getPassword(),
      },
    };
    const client = new S3Client({ ...config, forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();
    target = { config, stop: async () => void (await container.stop()) };
  }, 180_000);
  afterAll(async () => {
    await target?.stop();
  });

  defineAdapterSuite(() => {
    if (target === null) throw new Error('MinIO did not start');
    return target;
  });
});

/**
 * An S3 server you already run (e.g. `docker compose up` in docker/): set LAKESYNC_S3_ENDPOINT.
 * Bucket LAKESYNC_S3_BUCKET (default lakesync, created by docker/init-minio.sh); credentials
 * LAKESYNC_S3_ACCESS_KEY_ID / LAKESYNC_S3_SECRET_ACCESS_KEY (default lakesync / lakesync123).
 */
const externalEndpoint = process.env.LAKESYNC_S3_ENDPOINT;
const externalReachable =
  externalEndpoint !== undefined &&
  externalEndpoint.length > 0 &&
  (await probeHttp(externalEndpoint));
if (externalEndpoint !== undefined && externalEndpoint.length > 0 && !externalReachable) {
  console.info(
    `S3Adapter external suite skipped: ${externalEndpoint} does not answer a HEAD request.`,
  );
}

describe.skipIf(!externalReachable)(
  `S3Adapter against ${externalEndpoint ?? 'an external S3'}`,
  () => {
    const target: S3Target = {
      config: {
        endpoint: externalEndpoint ?? '',
        bucket: process.env.LAKESYNC_S3_BUCKET ?? 'lakesync',
        region: 'us-east-1',
        credentials: {
          accessKeyId: process.env.LAKESYNC_S3_ACCESS_KEY_ID ?? 'lakesync',
          secretAccessKey: process.env.LAKESYNC_S3_SECRET_ACCESS_KEY ?? 'lakesync123',
        },
      },
      stop: async () => {},
    };
    defineAdapterSuite(() => target);
  },
);
