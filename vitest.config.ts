import { defineConfig } from 'vitest/config';
import { SERVER_NODE_FLAGS } from './apps/server/bench/server-node-flags.js';

// Two projects: everything on PGlite, the browser tests (*.e2e.test.ts, in Chromium) among them; and
// the database suites (*.db.test.ts) again, with the suites about the server driver alone
// (*.pg.test.ts), on the PostgreSQL server (TEST_DATABASE_URL, by default the machine's
// 127.0.0.1:5432/test). Each project has workers of its own that load the server's modules afresh,
// and Vitest runs projects one after another: the browser tests were a third project until that
// cost a pause of about 40 s in every run on a 2-core machine (see decision 176).
export default defineConfig({
  test: {
    // The slowest ten tests after every run, beside the usual output.
    reporters: ['default', './apps/server/src/test-support/slowest-tests-reporter.ts'],
    // Limits against a hang, not a speed target (that is the slowest-tests list): generous, so a test
    // on a machine busy with other work fails for what it checks, never for the time it was given.
    // The browser tests' steps are the slowest; the same limit for all keeps them in one project.
    testTimeout: 180_000,
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
    // The flags the server runs with (decision 186): a worker builds server after server, each request
    // leaving short-lived objects. Two runs of the suite one after the other: 335 s with them, 358 s
    // without.
    execArgv: [...SERVER_NODE_FLAGS],
    // Every worker asks the main process for each server module, transformed; at a project's start four
    // workers ask for the same few hundred at once and wait on one process. Kept on disk, a module is
    // transformed once per run (and per change) and a worker reads it without asking.
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['apps/**/*.test.ts', 'packages/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.pg.test.ts', 'apps/server/cluster/**'],
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
    ],
  },
});
