import { describe, expect, it } from 'vitest';
import { parseCli } from '../../server/cli-options';
import { TEST_SECRET } from './helpers';

describe('gateway CLI options', () => {
  it('defaults: port 8787, loopback, embedded lake in .lakesync/lake, secret from the environment', () => {
    const plan = parseCli([], { LAKESYNC_JWT_SECRET: TEST_SECRET });
    expect(plan.ok && plan.value.kind === 'run' && plan.value.options).toMatchObject({
      port: 8787,
      hostname: '127.0.0.1',
      lake: { kind: 'embedded', directory: '.lakesync/lake' },
      auth: { kind: 'jwt', secret: TEST_SECRET },
      devTokens: false,
    });
  });

  it('a flag wins over its environment variable', () => {
    const plan = parseCli(['--port', '0', '--cors-origin', 'http://a, http://b'], {
      LAKESYNC_PORT: '9000',
      LAKESYNC_JWT_SECRET: TEST_SECRET,
      LAKESYNC_FLUSH_AGE_MS: '250',
    });
    expect(plan.ok && plan.value.kind === 'run' && plan.value.options).toMatchObject({
      port: 0,
      corsOrigin: ['http://a', 'http://b'],
      gatewayOptions: { flushAgeMs: 250 },
    });
  });

  it('refuses to start without a secret, with a short one, or with a bad number', () => {
    expect(parseCli([], {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('--no-auth'),
    });
    expect(parseCli(['--jwt-secret', 'short'], {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('32'),
    });
    expect(parseCli(['--port', 'eighty'], { LAKESYNC_JWT_SECRET: TEST_SECRET }).ok).toBe(false);
    expect(parseCli(['--bogus'], {}).ok).toBe(false);
  });

  it('--no-auth turns auth off; --dev-tokens alone signs with a random secret and says so', () => {
    const open = parseCli(['--no-auth'], {});
    expect(open.ok && open.value.kind === 'run' && open.value.options.auth).toEqual({
      kind: 'none',
    });
    const dev = parseCli(['--dev-tokens'], {});
    expect(dev.ok && dev.value.kind === 'run' && dev.value.options.auth.kind).toBe('jwt');
    expect(dev.ok && dev.value.kind === 'run' && dev.value.notices.join('\n')).toContain(
      'random secret',
    );
  });

  it('--endpoint uses an S3 store and needs credentials', () => {
    expect(parseCli(['--endpoint', 'http://minio:9000', '--no-auth'], {}).ok).toBe(false);
    const plan = parseCli(['--endpoint', 'http://minio:9000', '--bucket', 'b', '--no-auth'], {
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    expect(plan.ok && plan.value.kind === 'run' && plan.value.options.lake).toEqual({
      kind: 's3',
      config: {
        endpoint: 'http://minio:9000',
        bucket: 'b',
        region: 'us-east-1',
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      },
    });
  });

  it('--help gives the help text', () => {
    const plan = parseCli(['--help'], {});
    expect(plan.ok && plan.value.kind).toBe('help');
  });
});
