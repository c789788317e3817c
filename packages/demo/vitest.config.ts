import { defineConfig } from 'vitest/config';

// PGlite needs a few seconds to start; PostgreSQL tests create a database each.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 180_000, include: ['tests/**/*.test.ts'] },
});
