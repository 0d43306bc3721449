import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console builds into dist/console, served by gridhook at /console/.
 * Preact's JSX is compiled by esbuild directly, so no framework plugin is needed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Under the strict CSP nothing may be inlined, not even a small asset.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
