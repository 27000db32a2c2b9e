/**
 * `npm run bench:site`: requests per second for the home page, the cost of the usage log, and the
 * weight of the home page with everything it loads. The log's cost compares two servers of the same
 * build, one logging and one not, loaded at the same moment round after round: whatever the
 * machine's neighbours do to its speed during a round, they do to both (decision 171). Each server
 * runs in its own process, so the load generator does not share its event loop; the load comes from
 * autocannon, which spends a fraction of what a Node.js HTTP client spends per request, so the
 * servers are what limit the rate (decision 170). The log's cost is measured on PGlite as the
 * embedded default runs it (its files in the data directory), where the inserts run in the server's
 * own thread, and on PostgreSQL as deployed, where they run in the database's processes
 * (decision 163). Beside CPU time it prints how long collections paused each server (decision 183).
 * Prints figures; it is not a timed test.
 * BENCH_DATABASES=pglite (or postgres) measures one database only; BENCH_CPU_PROFILE=<dir> writes a
 * V8 CPU profile of both server processes there (`--cpu-prof`).
 */

import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { withBenchPostgresDatabase } from './bench-database.js';
import { reportFigure } from './bench-result.js';
import { countGcPauses } from './gc-pauses.js';
import { median } from './median.js';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

type DatabaseKind = 'pglite' | 'postgres';

async function serve(logging: boolean, databaseUrl: string | undefined): Promise<void> {
  const { loadConfig } = await import('../src/config/config.js');
  const { openPgliteDatabase } = await import('../src/db/pglite-database.js');
  const { openPostgresDatabase } = await import('../src/db/postgres-database.js');
  const { migrate } = await import('../src/db/migrate.js');
  const { buildApp } = await import('../src/app.js');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    // What production runs: NODE_ENV=test would have the workers poll four times as often.
    JOB_POLL_SECONDS: '2',
    // The worst case below sends each request "from" another address through the trusted proxy.
    TRUST_PROXY: '127.0.0.1',
    // As deployed on PostgreSQL, an API instance (workers run elsewhere); PGlite is one process.
    PROCESS_ROLE: databaseUrl ? 'api' : 'all',
    USAGE_LOG_ENABLED: String(logging),
  });
  const db = databaseUrl
    ? await openPostgresDatabase(databaseUrl, { max: 10 })
    : await openPgliteDatabase(path.join(dataDir, 'pglite'));
  await migrate(db);
  const app = await buildApp({ config, db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ port });
  const gcPauseMicros = countGcPauses();
  process.on('message', async (message) => {
    if (message === 'cpu') {
      // Everything this request load caused this process, including writing the buffered log rows
      // (on PostgreSQL the database's own work is in its processes, on its own host as deployed).
      await app.usageLog.settle();
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system, gcPauseMicros: gcPauseMicros() });
    }
    if (message === 'rows') {
      await app.usageLog.settle();
      const result = await db.query<{ n: number }>('select count(*)::int as n from usage_log');
      process.send?.({ rows: result.rows[0]?.n ?? 0 });
    }
    if (message === 'stop') {
      await app.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

interface Server {
  child: ChildProcess;
  port: number;
}

function startServer(logging: boolean, databaseUrl: string | null): Promise<Server> {
  const args = ['--serve', logging ? 'logging' : 'no-logging', ...(databaseUrl ? [databaseUrl] : [])];
  const child = fork(fileURLToPath(import.meta.url), args, {
    execArgv: [
      ...SERVER_NODE_FLAGS,
      ...process.execArgv,
      ...(process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
  });
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply: T) => resolve(reply));
    child.send(message);
  });
}

function get(agent: Agent, port: number, pathName: string): Promise<{ status: number; body: Buffer }> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-language': 'en' };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathName, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let sourceCounter = 0;

/** A private address of its own for each request, as a trusted proxy would forward it. */
function nextSource(): string {
  sourceCounter += 1;
  return `10.${(sourceCounter >> 16) & 255}.${(sourceCounter >> 8) & 255}.${sourceCounter & 255}`;
}

/** `CONCURRENCY` connections fetching `pathName` back to back for `ms`: requests and their rate. */
async function measure(
  port: number,
  pathName: string,
  ms: number,
  distinctSources = false,
): Promise<{ rps: number; requests: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONCURRENCY,
    duration: ms / 1000,
    headers: { 'user-agent': USER_AGENT, 'accept-language': 'en' },
    requests: [
      {
        method: 'GET',
        path: pathName,
        // Called for every request: the worst case's new address each time.
        ...(distinctSources
          ? {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, 'x-forwarded-for': nextSource() },
              }),
            }
          : {}),
      },
    ],
  });
  const failed = result.errors + result.non2xx;
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return { rps: result.requests.total / result.duration, requests: result.requests.total };
}

/** The home page plus every asset it loads (stylesheet, the fonts the stylesheet names, icon). */
async function pageWeight(port: number): Promise<{ bytes: number; parts: string[] }> {
  const agent = new Agent({ keepAlive: true });
  const home = await get(agent, port, '/');
  const html = home.body.toString('utf8');
  const assets = [...html.matchAll(/(?:href|src)="(\/site\/[^"]+)"/g)].map((match) => match[1] ?? '');
  let bytes = home.body.length;
  const parts = [`/ ${home.body.length}`];
  for (const asset of assets) {
    const response = await get(agent, port, asset);
    bytes += response.body.length;
    parts.push(`${asset} ${response.body.length}`);
    if (asset.startsWith('/site/site.css')) {
      for (const match of response.body.toString('utf8').matchAll(/url\((\/site\/[^)]+)\)/g)) {
        const font = await get(agent, port, match[1] ?? '');
        bytes += font.body.length;
        parts.push(`${match[1]} ${font.body.length}`);
      }
    }
  }
  agent.destroy();
  return { bytes, parts };
}

interface SiteFigures {
  home: number;
  cost: number;
  worstCost: number;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_DATABASES;
  const kinds: DatabaseKind[] = only === 'pglite' || only === 'postgres' ? [only] : ['pglite', 'postgres'];
  const results = new Map<DatabaseKind, SiteFigures>();
  for (const kind of kinds) {
    results.set(
      kind,
      kind === 'postgres'
        ? await withBenchPostgresDatabase((url) => benchmark(kind, url))
        : await benchmark(kind, null),
    );
  }
  const part = (kind: DatabaseKind) => {
    const figures = results.get(kind);
    return figures
      ? `${kind} home ${figures.home.toFixed(0)} req/s, logging cost ${figures.cost.toFixed(1)}% (worst case ${figures.worstCost.toFixed(1)}%)`
      : null;
  };
  console.log(`site: ${kinds.map(part).filter(Boolean).join('; ')}`);
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  setTimeout(() => server.child.kill('SIGKILL'), 10_000).unref();
  await exited;
}

async function benchmark(kind: DatabaseKind, databaseUrl: string | null): Promise<SiteFigures> {
  const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
  // One after the other: on PostgreSQL both migrate the same database.
  const logging = await startServer(true, databaseUrl);
  const servers: Server[] = [logging];
  try {
    const quiet = await startServer(false, databaseUrl);
    servers.push(quiet);
    // Warm up (JIT, PGlite, caches), both cases, both servers.
    for (const distinctSources of [false, true]) {
      await Promise.all([
        measure(logging.port, '/', 2000, distinctSources),
        measure(quiet.port, '/', 2000, distinctSources),
      ]);
    }
    // The home page's rate is the logging server's alone, with the machine to itself.
    const home = await measure(logging.port, '/', 3000);

    // Server CPU time per request is what logging adds. For a CPU-bound server the throughput lost
    // to logging is 1 - cpuOff/cpuOn. Both servers take the same load at the same moment: the
    // neighbours' load on this shared machine, which made rounds run one after the other differ by
    // half, hits both alike, and on PostgreSQL the database's work for the log (on its own host as
    // deployed) takes its share of the cores from both (decision 171).
    const cpuOf = (server: Server) => ask<{ cpuMicros: number; gcPauseMicros: number }>(server.child, 'cpu');
    const round = async (distinctSources: boolean) => {
      const before = await Promise.all([cpuOf(logging), cpuOf(quiet)]);
      const [on, off] = await Promise.all([
        measure(logging.port, '/', ROUND_MS, distinctSources),
        measure(quiet.port, '/', ROUND_MS, distinctSources),
      ]);
      // 'cpu' waits for the round's log rows to be written: their writing is part of the cost.
      const after = await Promise.all([cpuOf(logging), cpuOf(quiet)]);
      const perRequest = (index: 0 | 1, requests: number) => ({
        cpu: ((after[index]?.cpuMicros ?? 0) - (before[index]?.cpuMicros ?? 0)) / requests,
        gc: ((after[index]?.gcPauseMicros ?? 0) - (before[index]?.gcPauseMicros ?? 0)) / requests,
      });
      return {
        on: { rps: on.rps, ...perRequest(0, on.requests) },
        off: { rps: off.rps, ...perRequest(1, off.requests) },
      };
    };
    const compare = async (name: string, distinctSources: boolean) => {
      const rounds: Awaited<ReturnType<typeof round>>[] = [];
      for (let index = 0; index < ROUNDS; index += 1) rounds.push(await round(distinctSources));
      const costs = rounds.map(({ on, off }) => (1 - off.cpu / on.cpu) * 100).sort((a, b) => a - b);
      const cost = Math.max(0, median(costs));
      reportFigure({
        name: `usage logging cost on ${label}, ${name}`,
        value: cost,
        unit: '% CPU',
        goal: { atMost: 10 },
      });
      console.log(
        `${kind}, ${name}, side by side: logging ${median(rounds.map((r) => r.on.rps)).toFixed(0)} req/s, ` +
          `${median(rounds.map((r) => r.on.cpu)).toFixed(0)} µs CPU/request (GC pause ${median(rounds.map((r) => r.on.gc)).toFixed(1)}); ` +
          `not logging ${median(rounds.map((r) => r.off.rps)).toFixed(0)} req/s, ` +
          `${median(rounds.map((r) => r.off.cpu)).toFixed(0)} µs CPU/request (GC pause ${median(rounds.map((r) => r.off.gc)).toFixed(1)}); ` +
          `cost ${cost.toFixed(1)}% (rounds ${costs[0]?.toFixed(1)} to ${costs.at(-1)?.toFixed(1)}%)`,
      );
      return cost;
    };

    const cost = await compare('home page, one visitor', false);
    // Worst case for the log: every request from another address, so no two share a row.
    const worstCost = await compare('home page, a new source address per request (worst case)', true);
    const rows = await ask<{ rows: number }>(logging.child, 'rows');
    const weight = await pageWeight(logging.port);
    console.log(`${kind}: usage-log rows written during the run: ${rows.rows}`);
    console.log(`${kind}: home page parts (bytes): ${weight.parts.join(', ')}`);
    console.log(
      `${kind}: home ${home.rps.toFixed(0)} req/s, logging cost ${cost.toFixed(1)}%, home page ${(weight.bytes / 1024).toFixed(1)} KB`,
    );
    return { home: home.rps, cost, worstCost };
  } finally {
    // Gone before its database is dropped.
    await Promise.all(servers.map(stopServer));
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] === 'logging', process.argv[4]);
} else {
  await main();
}
