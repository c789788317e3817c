import { defineConfig } from 'vitest/config';

// One server and one browser for the whole run: files run one after another.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // The files share no state but the server and the browser; one worker imports Playwright once.
    isolate: false,
    globalSetup: ['support/global-setup.ts'],
  },
});
