/**
 * `npm run bench:team`: live Team updates (decision 051). A demo server (its own process, on
 * PostgreSQL when BENCH_DATABASE_URL's server answers — LISTEN/NOTIFY is the path measured — else on
 * PGlite) and, in this process, 100 clients on the team's event stream. 1,000 category changes are
 * made one after another; for each, the time from sending the change until every client has its
 * event is taken per client. Prints figures, the last line `team: fan-out p50 <X> ms, p99 <Y> ms,
 * <N> clients`; it is not a timed test.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPostgresReachable, withBenchPostgresDatabase } from './bench-database.js';
import { reportFigure } from './bench-result.js';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1000);
const ANNA = 'anna.berger@contoso.example';
const ELIAS = 'elias.zimmermann@contoso.example';

type Ready = {
  port: number;
  tokens: { anna: string; elias: string };
  teamId: string;
  mailId: string;
  categoryId: string;
};

async function serve(databaseUrl: string | null): Promise<void> {
  const { loadConfig } = await import('../src/config/config.js');
  const { openPgliteDatabase } = await import('../src/db/pglite-database.js');
  const { openPostgresDatabase } = await import('../src/db/postgres-database.js');
  const { migrate } = await import('../src/db/migrate.js');
  const { buildApp } = await import('../src/app.js');
  const { freePort } = await import('../src/test-support/test-server.js');
  const { DEMO_TENANT_ID, signInWithEmulator } = await import('../src/demo/emulators.js');

  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-bench-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const db = databaseUrl
    ? await openPostgresDatabase(databaseUrl, { max: 10 })
    : await openPgliteDatabase(null);
  await migrate(db);
  const app = await buildApp({ config, db });
  await app.listen({ port, host: '127.0.0.1' });

  const tokens = { anna: '', elias: '' };
  for (const [key, user] of [
    ['anna', ANNA],
    ['elias', ELIAS],
  ] as const) {
    const signedIn = await signInWithEmulator({
      baseUrl,
      tenantId: DEMO_TENANT_ID,
      user,
      scope: `api://${config.entra.clientId}/access_as_user`,
      clientId: config.entra.clientId,
    });
    tokens[key] = signedIn.accessToken;
    await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } });
  }
  const teams = (await (
    await fetch(`${baseUrl}/api/team/teams`, { headers: { authorization: `Bearer ${tokens.anna}` } })
  ).json()) as { teams: Array<{ id: string; categories: Array<{ id: string }> }> };
  const team = teams.teams[0];
  if (!team?.categories[0]) throw new Error('the demo team is missing');
  const opened = (await (
    await fetch(`${baseUrl}/api/team/teams/${team.id}/mails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.anna}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        internetMessageId: '<bench@mailissa.example>',
        subject: 'Benchmark',
        from: { name: 'Bench', address: 'bench@example.com' },
        receivedAt: null,
      }),
    })
  ).json()) as { mail: { id: string } };
  process.send?.({
    port,
    tokens,
    teamId: team.id,
    mailId: opened.mail.id,
    categoryId: team.categories[0].id,
  } satisfies Ready);
  process.on('message', async (message) => {
    if (message === 'stop') {
      await app.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

function start(args: string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), args, {
    execArgv: [...SERVER_NODE_FLAGS, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ child, ready: ready as Ready }));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  await exited;
}

/** One client on the event stream: resolves `waiting` when an event for the mail arrives. */
class StreamClient {
  private waiter: ((at: number) => void) | null = null;
  private readonly controller = new AbortController();

  async connect(url: string, token: string, mailId: string): Promise<void> {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: this.controller.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`events answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const needle = `"teamMailId":"${mailId}"`;
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.includes(needle)) {
              const waiter = this.waiter;
              this.waiter = null;
              waiter?.(performance.now());
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Aborted at the end.
      }
    })();
  }

  next(): Promise<number> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    this.controller.abort();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (await benchPostgresReachable()) await withBenchPostgresDatabase(measureFanOut);
  else await measureFanOut(null);
}

async function measureFanOut(databaseUrl: string | null): Promise<void> {
  console.log(
    `team: database ${databaseUrl ? 'PostgreSQL (LISTEN/NOTIFY)' : 'PGlite (in-process delivery)'}`,
  );
  const { child, ready } = await start(['serve', databaseUrl ?? '']);
  const base = `http://127.0.0.1:${ready.port}`;
  const clients: StreamClient[] = [];
  try {
    for (let i = 0; i < CLIENTS; i++) {
      const client = new StreamClient();
      await client.connect(`${base}/api/team/teams/${ready.teamId}/events`, ready.tokens.elias, ready.mailId);
      clients.push(client);
    }
    const latencies: number[] = [];
    const categoryUrl = `${base}/api/team/teams/${ready.teamId}/mails/${ready.mailId}/categories`;
    const headers = { authorization: `Bearer ${ready.tokens.anna}` };
    for (let change = 0; change < CHANGES; change++) {
      const arrivals = clients.map((client) => client.next());
      const sent = performance.now();
      const response =
        change % 2 === 0
          ? await fetch(categoryUrl, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ categoryId: ready.categoryId }),
            })
          : await fetch(`${categoryUrl}/${ready.categoryId}`, { method: 'DELETE', headers });
      if (response.status !== 200) throw new Error(`change ${change} answered ${response.status}`);
      await response.arrayBuffer();
      for (const at of await Promise.all(arrivals)) latencies.push(at - sent);
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `team: ${CHANGES} changes, ${latencies.length} deliveries, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    reportFigure({ name: 'team live update fan-out p50', value: p50, unit: 'ms' });
    reportFigure({ name: 'team live update fan-out p99', value: p99, unit: 'ms' });
    console.log(
      `team: fan-out p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${clients.length} clients`,
    );
  } finally {
    for (const client of clients) client.close();
    await stop(child);
  }
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] ? process.argv[3] : null);
} else {
  await main();
}
