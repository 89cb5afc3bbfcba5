// Builds the Svelte UI into dist/renderer: served by the agent to a browser and by the desktop app from app://coffer.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default {
  root: here('.'),
  // Relative asset URLs: the same build loads from http://127.0.0.1:<port>/ and from app://coffer/.
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [svelte()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // Within what the pinned Electron's Chromium and Debian's Chromium run.
    target: 'es2022',
    // No inline scripts or styles: the CSP allows code and style sheets from files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
};
