import { defineConfig } from 'vitest/config';

// Tests run against real servers, real SQLite files and real CLIs, so they get generous
// timeouts; speed is measured by `npm run bench:*`, never by a timed test.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most tests wait on real processes, sockets and disks rather than on the CPU: three workers keep
    // two cores busy (the default, one per core but one, runs them one at a time on a 2-core machine).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
