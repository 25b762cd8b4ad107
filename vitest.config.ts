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
  },
});
