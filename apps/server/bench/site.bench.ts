/**
 * `npm run bench:site`: requests per second for the home page, the cost of the usage log (the same
 * server with logging on versus off, measured alternately in one run), and the weight of the home
 * page with everything it loads. Each server runs in its own process so the load generator does
 * not share its event loop; the load comes from autocannon, which spends a fraction of what a
 * Node.js HTTP client spends per request, so the server is what limits the rate (decision 170).
 * The log's cost is measured on PGlite, the embedded default, where its inserts run in the server's
 * own thread, and on PostgreSQL as deployed, where they run in the database's processes
 * (decision 163). Prints figures; it is not a timed test.
 * BENCH_DATABASES=pglite (or postgres) measures one database only.
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

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

type DatabaseKind = 'pglite' | 'postgres';

async function serve(databaseUrl: string | undefined): Promise<void> {
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
  });
  const db = databaseUrl
    ? await openPostgresDatabase(databaseUrl, { max: 10 })
    : await openPgliteDatabase(null);
  await migrate(db);
  const app = await buildApp({ config, db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ port });
  process.on('message', async (message) => {
    // The same process with logging switched on and off, so both sides share JIT state, heap and
    // the database; the hooks read this setting on every request.
    if (message === 'logging:on' || message === 'logging:off') {
      await app.usageLog.settle();
      config.privacy.usageLogEnabled = message === 'logging:on';
      process.send?.({ ok: true });
    }
    if (message === 'cpu') {
      // Everything this request load caused this process, including writing the buffered log rows
      // (on PostgreSQL the database's own work is in its processes, on its own host as deployed).
      await app.usageLog.settle();
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system });
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

function startServer(databaseUrl: string | null): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...(databaseUrl ? [databaseUrl] : [])], {
    execArgv: process.execArgv,
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

/** Requests per second of `CONCURRENCY` connections fetching `pathName` back to back for `ms`. */
async function load(port: number, pathName: string, ms: number): Promise<number> {
  return (await measure(port, pathName, ms)).rps;
}

let sourceCounter = 0;

/** A private address of its own for each request, as a trusted proxy would forward it. */
function nextSource(): string {
  sourceCounter += 1;
  return `10.${(sourceCounter >> 16) & 255}.${(sourceCounter >> 8) & 255}.${sourceCounter & 255}`;
}

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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

async function benchmark(kind: DatabaseKind, databaseUrl: string | null): Promise<SiteFigures> {
  const server = await startServer(databaseUrl);
  const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const setLogging = (on: boolean) => ask(server.child, on ? 'logging:on' : 'logging:off');
  try {
    // Warm up (JIT, PGlite, caches) with logging on and off.
    await setLogging(true);
    await load(server.port, '/', 2000);
    await setLogging(false);
    await load(server.port, '/', 2000);

    // Server CPU time per request is what logging adds; throughput on this shared two-core machine
    // swings with the neighbours' load, CPU time per request much less. For a CPU-bound server the
    // throughput lost to logging is 1 - cpuOff/cpuOn.
    const round = async (logging: boolean, distinctSources: boolean) => {
      await setLogging(logging);
      const before = await ask<{ cpuMicros: number }>(server.child, 'cpu');
      const result = await measure(server.port, '/', ROUND_MS, distinctSources);
      const after = await ask<{ cpuMicros: number }>(server.child, 'cpu');
      return { rps: result.rps, cpu: (after.cpuMicros - before.cpuMicros) / result.requests };
    };
    const compare = async (name: string, rounds: number, distinctSources: boolean) => {
      const on: { rps: number; cpu: number }[] = [];
      const off: { rps: number; cpu: number }[] = [];
      for (let index = 0; index < rounds; index += 1) {
        // Alternating order: drift hits both alike.
        if (index % 2 === 0) {
          on.push(await round(true, distinctSources));
          off.push(await round(false, distinctSources));
        } else {
          off.push(await round(false, distinctSources));
          on.push(await round(true, distinctSources));
        }
      }
      const result = {
        rpsOn: median(on.map((r) => r.rps)),
        rpsOff: median(off.map((r) => r.rps)),
        cpuOn: median(on.map((r) => r.cpu)),
        cpuOff: median(off.map((r) => r.cpu)),
      };
      // Each pair ran back to back, so a neighbour's load that comes and goes over seconds hits
      // both of its rounds: the median of the pairs' costs is the figure, their spread is shown.
      const pairCosts = on
        .map((onRound, index) => (1 - (off[index]?.cpu ?? onRound.cpu) / onRound.cpu) * 100)
        .sort((a, b) => a - b);
      const cost = Math.max(0, median(pairCosts));
      reportFigure({
        name: `usage logging cost on ${label}, ${name}`,
        value: cost,
        unit: '% CPU',
        goal: { atMost: 10 },
      });
      console.log(
        `${kind}, ${name}: logging on ${result.rpsOn.toFixed(0)} req/s, ${result.cpuOn.toFixed(0)} µs CPU/request; ` +
          `off ${result.rpsOff.toFixed(0)} req/s, ${result.cpuOff.toFixed(0)} µs CPU/request; ` +
          `cost ${cost.toFixed(1)}% (pairs ${pairCosts[0]?.toFixed(1)} to ${pairCosts.at(-1)?.toFixed(1)}%) ` +
          `(throughput difference ${(((result.rpsOff - result.rpsOn) / result.rpsOff) * 100).toFixed(1)}%)`,
      );
      return { ...result, cost };
    };

    const home = await compare('home page, one visitor', ROUNDS, false);
    // Worst case for the log: every request from another address, so no two share a row.
    const worst = await compare('home page, a new source address per request (worst case)', ROUNDS, true);
    await setLogging(true);
    const rows = await ask<{ rows: number }>(server.child, 'rows');
    const weight = await pageWeight(server.port);
    console.log(`${kind}: usage-log rows written during the run: ${rows.rows}`);
    console.log(`${kind}: home page parts (bytes): ${weight.parts.join(', ')}`);
    console.log(
      `${kind}: home ${home.rpsOn.toFixed(0)} req/s, logging cost ${home.cost.toFixed(1)}%, home page ${(weight.bytes / 1024).toFixed(1)} KB`,
    );
    return { home: home.rpsOn, cost: home.cost, worstCost: worst.cost };
  } finally {
    // Gone before its database is dropped.
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.send('stop');
    setTimeout(() => server.child.kill('SIGKILL'), 10_000).unref();
    await exited;
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]);
} else {
  await main();
}
