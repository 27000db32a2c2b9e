import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../bench/server-node-flags.js';
import { DEMO_TENANT_ID } from './demo/emulators.js';
import { accessTokenClaims, startTestIssuer, type TestIssuer } from './test-support/test-issuer.js';
import { freePort } from './test-support/test-server.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface RunningServer {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function startServerProcess(env: Record<string, string>): Promise<RunningServer> {
  // With the Node.js flags `npm start` gives the server (decision 186): the process as it runs.
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Generous: on a busy machine tsx compiles the whole server before it listens. Alone it takes about
  // 12 s; beside the browser tests' first server and Chromium starts it once took over 120 s.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ready = await fetch(`${env.PUBLIC_BASE_URL}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      // A server that never became ready must not linger on the port for the next test.
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, output: () => output, exited };
}

describe('the server process', () => {
  let issuer: TestIssuer;
  let dataDir: string;
  /** Demo mode without HOST: the default bind address is what the first check is about. */
  let env: Record<string, string>;
  /** The first process, started once: both checks below begin with it (a start costs seconds). */
  let first: RunningServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    dataDir = await mkdtemp(path.join(tmpdir(), 'mailissa-main-'));
    const port = await freePort();
    env = {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      ENTRA_AUTHORITY_BASE: issuer.authorityBase,
      LOG_LEVEL: 'info',
    };
    first = await startServerProcess(env);
  }, 300_000);
  afterAll(async () => {
    if (first?.child.exitCode === null) {
      first.child.kill('SIGTERM');
      await first.exited;
    }
    await issuer.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('in demo mode listens on loopback only unless HOST says otherwise, and says so', async () => {
    expect(first.output()).toMatch(
      /Mailissa is running at http:\/\/127\.0\.0\.1:\d+ \(demo mode: .*listening on 127\.0\.0\.1:\d+, loopback only/,
    );
    // Another machine would come in over one of this machine's other addresses: nobody answers there.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (outside) {
      const port = new URL(env.PUBLIC_BASE_URL ?? '').port;
      const refused = await fetch(`http://${outside.address}:${port}/healthz`).then(
        () => 'answered',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(refused).toBe('ECONNREFUSED');
    }
  });

  it('stops cleanly on SIGTERM and keeps its data across a restart', async () => {
    const claims = accessTokenClaims(issuer, {
      tenantId: DEMO_TENANT_ID,
      objectId: randomUUID(),
      audience: '6d1c0f52-3a7e-4d6b-9a51-4e0c8b7f2a10',
      email: 'megan@contoso.example',
      name: 'Megan Bowen',
    });
    const token = await issuer.sign(claims);
    const me = async () => {
      const response = await fetch(`${env.PUBLIC_BASE_URL}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { user: { id: string; firstSeenAt: string } };
    };

    const before = await me();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const second = await startServerProcess(env);
    const after = await me();
    expect(after.user.id).toBe(before.user.id);
    expect(after.user.firstSeenAt).toBe(before.user.firstSeenAt);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // The log never carries the token.
    expect(first.output() + second.output()).not.toContain(token.split('.')[2]);
  }, 300_000);
});
