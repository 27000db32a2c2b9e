/**
 * `npm run soak`: a bounded soak. One server process (`PROCESS_ROLE=all`, demo mode, a fresh database
 * on the PostgreSQL server of TEST_DATABASE_URL) under a fixed mixed load for SOAK_MINUTES (default
 * 10): the add-in's calls, the website's home page, and a transfer every SOAK_TRANSFER_EVERY requests,
 * each followed until it is done. Every minute it prints the window's requests, errors, latency and
 * the server's memory (read from its /metrics); at the end the drift from the first window to the
 * last. The goal (issue 15): 0 errors, every transfer done, flat memory. Exits 1 on any error.
 *
 * Loopback only; the load is bounded by SOAK_RATE (requests per second, default 20) and the duration.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { DEMO_APP, demoFixture } from '../../../packages/emulators/src/fixture.js';
import { signInWithEmulator } from '../../../packages/emulators/src/test-client.js';
import { offerMail } from '../cluster/emulator-drive.js';
import { launchServer } from '../cluster/start-cluster.js';
import { createTestDatabase } from '../src/test-support/test-database.js';
import { freePort } from '../src/test-support/test-server.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 20);
const TRANSFER_EVERY = Number(process.env.SOAK_TRANSFER_EVERY ?? 50);
const WINDOW_MS = Math.min(60_000, (MINUTES * 60_000) / 2);
const METRICS_TOKEN = 'soak-scrapes-with-this-token-0123456789abcdef';
const MB = 1024 * 1024;

interface Window {
  requests: number;
  errors: number;
  latencies: number[];
  rssMb: number;
  heapMb: number;
  /** Memory outside the JS heap that V8 knows of (Buffers, zlib's streams …): RSS that grows with neither is native. */
  externalMb: number;
}

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
};

async function memory(baseUrl: string): Promise<Pick<Window, 'rssMb' | 'heapMb' | 'externalMb'>> {
  const text = await (
    await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)`, 'm'))?.[1] ?? Number.NaN);
  return {
    rssMb: value('mailissa_process_resident_memory_bytes') / MB,
    heapMb: value('mailissa_nodejs_heap_size_used_bytes') / MB,
    externalMb: value('mailissa_nodejs_external_memory_bytes') / MB,
  };
}

async function main(): Promise<void> {
  process.env.TEST_DB = 'postgres';
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-soak-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await launchServer('all', port, {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url ?? '',
    PROCESS_ROLE: 'all',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    METRICS_TOKEN,
  });
  try {
    const token = (
      await signInWithEmulator({
        baseUrl,
        tenantId: demoFixture.tenants.demo.microsoftTenantId,
        user: demoFixture.users.demo.upn,
        scope: `api://${DEMO_APP.clientId}/access_as_user`,
        clientId: DEMO_APP.clientId,
      })
    ).accessToken;
    const headers = { authorization: `Bearer ${token}` };
    await fetch(`${baseUrl}/api/me`, { headers });
    const targets = (await (await fetch(`${baseUrl}/api/targets`, { headers })).json()) as {
      targets: { id: string; title: string }[];
    };
    const target = targets.targets.find((each) => each.title === 'Contracts 2026');
    const mail = await offerMail(baseUrl);
    const transferBody = JSON.stringify({
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: target?.id,
    });

    const open = new Set<string>();
    let transfersDone = 0;
    let transfersFailed = 0;
    let window: Window = { requests: 0, errors: 0, latencies: [], rssMb: 0, heapMb: 0, externalMb: 0 };
    const windows: Window[] = [];
    const errorSamples: string[] = [];

    /** One request of the mix; n picks which. */
    const one = async (n: number): Promise<void> => {
      const started = performance.now();
      let ok = false;
      let what = '';
      try {
        if (n % TRANSFER_EVERY === 0) {
          what = 'POST /api/transfers';
          const answer = await fetch(`${baseUrl}/api/transfers`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: transferBody,
          });
          ok = answer.status === 202;
          if (ok) open.add(((await answer.json()) as { transfer: Transfer }).transfer.id);
          else await answer.arrayBuffer();
        } else if (n % 5 === 0 && open.size > 0) {
          const id = open.values().next().value as string;
          what = 'GET /api/transfers/:id';
          const answer = await fetch(`${baseUrl}/api/transfers/${id}`, { headers });
          ok = answer.status === 200;
          const state = ok ? ((await answer.json()) as { transfer: Transfer }).transfer.state : undefined;
          if (state === 'done' || state === 'failed') {
            open.delete(id);
            if (state === 'done') transfersDone++;
            else transfersFailed++;
          }
        } else {
          const paths = ['/api/me', '/api/targets', '/', '/api/targets'];
          const pathname = paths[n % paths.length] ?? '/';
          what = `GET ${pathname}`;
          const answer = await fetch(`${baseUrl}${pathname}`, { headers: pathname === '/' ? {} : headers });
          ok = answer.status === 200;
          await answer.arrayBuffer();
        }
      } catch (error) {
        what += ` (${error instanceof Error ? error.message : String(error)})`;
      }
      window.requests++;
      window.latencies.push(performance.now() - started);
      if (!ok) {
        window.errors++;
        if (errorSamples.length < 10) errorSamples.push(what);
      }
    };

    const end = Date.now() + MINUTES * 60_000;
    let windowEnd = Date.now() + WINDOW_MS;
    const inFlight = new Set<Promise<void>>();
    console.log(
      `soak: ${MINUTES} min at ${RATE} req/s, a transfer every ${TRANSFER_EVERY} requests, windows of ${WINDOW_MS / 1000} s`,
    );
    console.log(
      'window | requests | errors | p50 ms | p99 ms | RSS MB | heap MB | external MB | transfers done/open',
    );
    for (let n = 1; Date.now() < end; n++) {
      const request = one(n).finally(() => inFlight.delete(request));
      inFlight.add(request);
      // A fixed rate, whatever the answers' speed: the next request leaves on its schedule.
      await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
      if (Date.now() >= windowEnd) {
        Object.assign(window, await memory(baseUrl));
        windows.push(window);
        console.log(
          `${String(windows.length).padStart(6)} | ${String(window.requests).padStart(8)} | ${String(window.errors).padStart(6)} | ${percentile(window.latencies, 0.5).toFixed(1).padStart(6)} | ${percentile(window.latencies, 0.99).toFixed(1).padStart(6)} | ${window.rssMb.toFixed(1).padStart(6)} | ${window.heapMb.toFixed(1).padStart(7)} | ${window.externalMb.toFixed(1).padStart(11)} | ${transfersDone}/${open.size}`,
        );
        window = { requests: 0, errors: 0, latencies: [], rssMb: 0, heapMb: 0, externalMb: 0 };
        windowEnd += WINDOW_MS;
      }
    }
    await Promise.all(inFlight);
    // The transfers still open are followed to their end (bounded), so "every transfer done" is known.
    const deadline = Date.now() + 300_000;
    while (open.size > 0 && Date.now() < deadline) {
      for (const id of [...open]) {
        const answer = await fetch(`${baseUrl}/api/transfers/${id}`, { headers });
        const state = ((await answer.json()) as { transfer: Transfer }).transfer.state;
        if (state === 'done' || state === 'failed') {
          open.delete(id);
          if (state === 'done') transfersDone++;
          else transfersFailed++;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    const first = windows[0];
    const last = windows.at(-1);
    const errors = windows.reduce((sum, each) => sum + each.errors, 0) + window.errors;
    const requests = windows.reduce((sum, each) => sum + each.requests, 0) + window.requests;
    console.log(
      `soak: ${requests} requests, ${errors} errors${errorSamples.length ? ` (${errorSamples.join('; ')})` : ''}`,
    );
    console.log(`soak: transfers ${transfersDone} done, ${transfersFailed} failed, ${open.size} unfinished`);
    if (first && last) {
      console.log(
        `soak drift (first window → last): RSS ${first.rssMb.toFixed(1)} → ${last.rssMb.toFixed(1)} MB (${(last.rssMb - first.rssMb).toFixed(1)}), ` +
          `heap ${first.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB (${(last.heapMb - first.heapMb).toFixed(1)}), ` +
          `external ${first.externalMb.toFixed(1)} → ${last.externalMb.toFixed(1)} MB (${(last.externalMb - first.externalMb).toFixed(1)}), ` +
          `p99 ${percentile(first.latencies, 0.99).toFixed(1)} → ${percentile(last.latencies, 0.99).toFixed(1)} ms`,
      );
    }
    if (errors > 0 || transfersFailed > 0 || open.size > 0) process.exitCode = 1;
  } finally {
    await server.kill();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
