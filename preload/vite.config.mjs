// Bundles the sandboxed preload into one CommonJS file: a sandboxed preload cannot load ES modules or local files.
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default {
  publicDir: false,
  logLevel: 'warn',
  build: {
    lib: { entry: here('./index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    // Beside tsc's output of the same sources (dist/preload/*.js, ES modules the preload never loads).
    outDir: here('../dist/preload'),
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
    // Well within what the Chromium of the pinned Electron (45) runs.
    target: 'es2022',
    rolldownOptions: { external: ['electron'] },
  },
};
