import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vue from '@vitejs/plugin-vue';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { clipToRegion, MAP_REGION, worldGeoJson } from './src/charts/world.ts';

const require = createRequire(import.meta.url);

/**
 * `virtual:world-map`: the GeoJSON the partnership map draws, converted from world-atlas and
 * cut to the North Atlantic once at build time rather than in every browser on every load.
 */
function worldMap(): Plugin {
  const id = 'virtual:world-map';
  return {
    name: 'udx-world-map',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const file = require.resolve('world-atlas/countries-110m.json');
      this.addWatchFile(file);
      const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology<{
        countries: GeometryCollection;
      }>;
      const geoJson = JSON.stringify(clipToRegion(worldGeoJson(topology), MAP_REGION));
      // JSON.parse of a string literal is faster for the browser than an object literal.
      return `export default JSON.parse(${JSON.stringify(geoJson)});`;
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [
    vue({
      template: {
        // HTML's <search> landmark is newer than Vue's list of native tags.
        compilerOptions: { isCustomElement: (tag) => tag === 'search' },
      },
    }),
    worldMap(),
  ],
  define: {
    // Apollo Client checks and deep-freezes every result unless told it runs in production.
    ...(command === 'build' ? { 'globalThis.__DEV__': 'false' } : {}),
    // vue-i18n's compile-time flags: Composition API only, no global components or devtools.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://localhost:4000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
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
}));
