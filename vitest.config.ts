import { defineConfig } from 'vitest/config';

// Two projects: everything on PGlite, and the database suites (*.db.test.ts) again on the
// PostgreSQL server (TEST_DATABASE_URL, by default the machine's 127.0.0.1:5432/test).
export default defineConfig({
  test: {
    // The slowest ten tests after every run, beside the usual output.
    reporters: ['default', './apps/server/src/test-support/slowest-tests-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.e2e.test.ts'],
          env: { TEST_DB: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['apps/**/*.db.test.ts', 'packages/**/*.db.test.ts'],
          env: { TEST_DB: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['apps/**/*.e2e.test.ts', 'packages/**/*.e2e.test.ts'],
          env: { TEST_DB: 'pglite' },
          testTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
