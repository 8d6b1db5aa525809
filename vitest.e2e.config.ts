// The e2e tier (`npm run test:e2e`): real-data parity, crash loops and end-to-end CLI runs (files named *.e2e.test.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Per-file times of every full run, to find what makes a tier slow (.pt/ is not committed).
    reporters: ['default', ['json', { outputFile: '.pt/test-times/e2e.json' }]],
    globalSetup: ['test/e2eSetup.ts'],
  },
});
