import { defineConfig } from 'vitest/config';

/**
 * One test command for everything: unit tests beside the code, property suites, integration
 * tests against a real (embedded) S3 server, and the simulator's own tests.
 */
export default defineConfig({
  test: {
    include: [
      'src/**/__tests__/**/*.test.ts',
      'sim/**/__tests__/**/*.test.ts',
      'properties/**/*.test.ts',
      'tests/**/*.test.ts',
      'bench/**/__tests__/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The AWS SDK warns on every Node 20 process that future releases will need Node 22; the
    // warning is about upgrades, not about these tests, so keep the test output readable.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
