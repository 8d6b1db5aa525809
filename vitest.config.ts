// The unit and integration tier (`npm test`); the e2e tier is vitest.e2e.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/**/*.e2e.test.ts', 'test/**/*.e2e.test.tsx', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Per-file times of every full run, to find what makes a tier slow (.pt/ is not committed).
    reporters: ['default', ['json', { outputFile: '.pt/test-times/unit.json' }]],
    globalSetup: process.env.PT_SKIP_BUILD === '1' ? [] : ['test/globalSetup.ts'],
  },
});
