import { defineConfig } from 'vitest/config';

// Tests run against real servers, real SQLite files and real CLIs, so they get generous
// timeouts; speed is measured by `npm run bench:*`, never by a timed test.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
