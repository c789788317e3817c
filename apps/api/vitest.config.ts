import { defineConfig } from 'vitest/config';

// PGlite needs a few seconds to start; PostgreSQL tests create a database each.
export default defineConfig({
  // One graphql module for tests and Pothos alike: Node loads Pothos' `import 'graphql'` as the
  // CommonJS build, so tests must not get the ESM build, or graphql-js sees two realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { testTimeout: 120_000, hookTimeout: 180_000, include: ['tests/**/*.test.ts'] },
});
