import { defineConfig } from 'vitest/config';

// PGlite needs a few seconds to start (far more on a busy 2-core machine); PostgreSQL tests
// create a database each.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 180_000, include: ['tests/**/*.test.ts'] },
});
