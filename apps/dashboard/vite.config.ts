import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    vue({
      template: {
        // HTML's <search> landmark is newer than Vue's list of native tags.
        compilerOptions: { isCustomElement: (tag) => tag === 'search' },
      },
    }),
  ],
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://localhost:4000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    // Read by scripts/critical-path.mjs to measure what the first page needs.
    manifest: true,
    // Keep the figures honest: report gzip sizes of every chunk.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
