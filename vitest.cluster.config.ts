import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: the multi-instance test (apps/server/cluster/). It starts its own processes
// (PostgreSQL database, two API instances, a worker, nginx), so it runs alone, after `npm test`.
export default defineConfig({
  test: {
    include: ['apps/server/cluster/**/*.test.ts'],
    env: { TEST_DB: 'postgres' },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
