// The unit and integration tier (`npm test`); the e2e tier is vitest.e2e.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/**/*.e2e.test.ts', 'test/**/*.e2e.test.tsx', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: process.env.PT_SKIP_BUILD === '1' ? [] : ['test/globalSetup.ts'],
  },
});
