import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { chunkOf } from './build/chunks.ts';
import { compiledMessages } from './build/compiled-messages.ts';
import { graphqlDocuments } from './build/graphql-documents.ts';
import { methodology } from './build/methodology.ts';
import { worldMap } from './build/world-map.ts';

export default defineConfig(({ command, isSsrBuild }) => ({
  plugins: [
    vue({
      template: {
        // HTML's <search> landmark is newer than Vue's list of native tags.
        compilerOptions: { isCustomElement: (tag) => tag === 'search' },
      },
    }),
    graphqlDocuments(),
    compiledMessages(),
    worldMap(),
    methodology(),
  ],
  define: {
    // Apollo Client checks and deep-freezes every result unless told it runs in production.
    ...(command === 'build' ? { 'globalThis.__DEV__': 'false' } : {}),
    // vue-i18n's compile-time flags: Composition API only, no global components or devtools.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    // The build ships the messages compiled (build/compiled-messages.ts), not the compiler.
    __INTLIFY_DROP_MESSAGE_COMPILER__: command === 'build' ? 'true' : 'false',
  },
  server: {
    port: 5173,
    // The API answers these paths; the dashboard's own routes (/import, /exchanges/…) stay here.
    proxy: {
      '/graphql': { target: 'http://localhost:4000', changeOrigin: false },
      '/export/': { target: 'http://localhost:4000', changeOrigin: false },
      '/import/values': { target: 'http://localhost:4000', changeOrigin: false },
    },
  },
  // The server's build (`src/entry-server.ts`, the first screen rendered by the API) carries its
  // dependencies inside it: the API loads one folder and needs none of the dashboard's packages.
  ssr: { noExternal: true },
  build: isSsrBuild
    ? { outDir: 'dist-server', reportCompressedSize: false, chunkSizeWarningLimit: 4000 }
    : {
        outDir: 'dist',
        // Keep the figures honest: report gzip sizes of every chunk.
        reportCompressedSize: true,
        chunkSizeWarningLimit: 700,
        rolldownOptions: {
          output: {
            codeSplitting: {
              includeDependenciesRecursively: false,
              groups: [{ name: chunkOf() }],
            },
          },
        },
      },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
}));
