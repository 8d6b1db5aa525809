import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: process.env.PT_SKIP_BUILD === '1' ? [] : ['test/globalSetup.ts'],
  },
});
