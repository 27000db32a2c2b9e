import { defineConfig } from 'vitest/config';

// Three projects: everything on PGlite; the database suites (*.db.test.ts) again, and the suites about
// the server driver alone (*.pg.test.ts), on the PostgreSQL server (TEST_DATABASE_URL, by default the
// machine's 127.0.0.1:5432/test); and the browser tests (*.e2e.test.ts) in Chromium.
export default defineConfig({
  test: {
    // The slowest ten tests after every run, beside the usual output.
    reporters: ['default', './apps/server/src/test-support/slowest-tests-reporter.ts'],
    // Limits against a hang, not a speed target (that is the slowest-tests list): generous, so a test
    // on a machine busy with other work fails for what it checks, never for the time it was given.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // Vitest's default on a 2-core machine is a single worker (cores - 1), leaving a core idle while
    // tests wait on servers, queues, browsers and the network. Two left the cores idle a third of the
    // time; three still a third on a slower day (the suite: 386 s with two, 355 s with three; on
    // another day 373 s with three, 327 s with four, the cores busy three quarters of the time).
    maxWorkers: 4,
    // A worker runs its files one after another in one module graph: the server's modules are loaded
    // once per worker, not once per file (that loading was a third of the suite's time). Each file
    // still builds its own server, database and clock; nothing a test changes lives in a module.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.e2e.test.ts', '**/*.pg.test.ts', 'apps/server/cluster/**'],
          env: { TEST_DB: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['apps/**/*.db.test.ts', 'apps/**/*.pg.test.ts', 'packages/**/*.db.test.ts'],
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
        },
      },
    ],
  },
});
