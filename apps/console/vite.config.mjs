// The console's build (npm run build runs it after tsc): apps/console -> dist/console, served by
// the gateway at /console/ (relative asset URLs, hashed names). No CDN: everything is bundled.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // One small app: no inline data URLs (the page's CSP allows only its own files).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
