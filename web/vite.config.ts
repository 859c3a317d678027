import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard bundle: served by `haven serve` under /app/ from dist/web (an in-memory allow-list). No inline scripts or
 * styles (the CSP forbids them), no module-preload polyfill, nothing inlined as data: URLs, no source maps in the package.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
