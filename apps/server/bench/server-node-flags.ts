/**
 * The Node.js flags the server runs with, as `npm start` and the Dockerfile start it. bench:bootstrap,
 * bench:site and bench:team start their server processes with them too, so they measure the server
 * as it runs, and so do the test workers (vitest.config.ts). server-node-flags.test.ts keeps
 * `npm start` and the image in step with this list.
 *
 * `--max-semi-space-size=64` (MB, V8's default is 16): a request allocates tens of kilobytes of
 * short-lived objects, and a larger young generation collects them less often, with fewer of them
 * surviving into the old one (decision 186).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
