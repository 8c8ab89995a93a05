import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: the simulated clusters are CPU-light but numerous; keep the pool small.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
