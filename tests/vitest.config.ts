import { defineConfig } from 'vitest/config';

// One server and one browser for the whole run: files run one after another.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    globalSetup: ['support/global-setup.ts'],
  },
});
