/**
 * The Node.js flags the server runs with, as `npm start` and the Dockerfile start it. bench:bootstrap,
 * bench:site and bench:team start their server processes with them too, so they measure the server
 * as it runs (server-node-flags.test.ts keeps them in step).
 *
 * `--max-semi-space-size=64` (MB, V8's default is 16): a request allocates tens of kilobytes of
 * short-lived objects, and a larger young generation collects them less often, with fewer of them
 * surviving into the old one (decision 186).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
