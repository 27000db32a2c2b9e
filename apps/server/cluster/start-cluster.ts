import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startEmulatorServer,
  type TestEmulatorServer,
} from '../../../packages/emulators/src/test-support/start-emulator-server.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-database.js';
import { freePort } from '../src/test-support/test-server.js';

const SERVER_ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** One server process of the cluster: `api` behind nginx, or the `worker` (`all`: both, alone). */
export interface ClusterProcess {
  role: 'api' | 'worker' | 'all';
  port: number;
  /** What the process printed, for the failure message when it dies unexpectedly. */
  output(): string;
  /** `kill -9`: no shutdown hooks, jobs in flight left as a crash leaves them. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code (a graceful drain exits 0). */
  terminate(): Promise<number | null>;
}

export interface Cluster {
  /** nginx, the only entry clients use. */
  baseUrl: string;
  emulator: TestEmulatorServer;
  database: TestDatabase;
  apis: ClusterProcess[];
  /** The worker started last. */
  readonly worker: ClusterProcess;
  /** Starts a new worker (e.g. after killing the old one), waits until it is ready; it becomes `worker`. */
  startWorker(): Promise<ClusterProcess>;
  close(): Promise<void>;
}

export const CLUSTER_SETTINGS = {
  /** Low, so the block test needs few requests; blocks are shared through the database. */
  blockAfterFailures: 6,
} as const;

/**
 * PostgreSQL, two API instances and one worker process behind Debian's nginx as load balancer, all on
 * loopback with generated configuration (docs/operations.md §1). The instances run the product as in
 * production, against the Microsoft 365 emulator running on its own port: the same shared secrets,
 * one database, nothing shared in memory.
 */
export async function startCluster(): Promise<Cluster> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'mailissa-cluster-'));
  const emulator = await startEmulatorServer();
  const database = await createTestDatabase();
  if (!database.url) throw new Error('the cluster runs on PostgreSQL: set TEST_DB=postgres');
  const nginxPort = await freePort();
  const baseUrl = `http://127.0.0.1:${nginxPort}`;
  const started: ClusterProcess[] = [];

  const environment = (role: 'api' | 'worker', port: number, dataDir: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url ?? '',
    PROCESS_ROLE: role,
    LOG_LEVEL: 'warn',
    // Demo mode, but Microsoft is the emulator on its own port: every instance sees the same one.
    ENTRA_AUTHORITY_BASE: emulator.config.entra.authorityBase,
    GRAPH_BASE_URL: `${emulator.baseUrl}/emulator/graph/v1.0`,
    // Likewise Jira: targets name the emulator's Jira site, which connectors may reach on loopback
    // only when allowed (decision 060). Each instance's own demo stand-in would keep its own issues.
    CONNECTOR_ALLOWED_ORIGINS: emulator.baseUrl,
    // Secrets every instance must share, as a deployment's environment would give them.
    SESSION_SECRET: 'cluster-session-secret-0123456789abcdef',
    FORM_SIGNING_SECRET: 'cluster-form-secret-0123456789abcdef',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    TRUST_PROXY: '127.0.0.1',
    BLOCK_AFTER_FAILURES: String(CLUSTER_SETTINGS.blockAfterFailures),
    BLOCK_CACHE_SECONDS: '0',
    RATE_LIMIT_PER_MINUTE: '0',
  });

  async function startProcess(role: 'api' | 'worker'): Promise<ClusterProcess> {
    const port = await freePort();
    const dataDir = path.join(workDir, `${role}-${port}`);
    await mkdir(dataDir, { recursive: true });
    const handle = await launchServer(role, port, environment(role, port, dataDir));
    started.push(handle);
    return handle;
  }

  // One after the other: the first start migrates the fresh database and seeds the demo tenants.
  let worker = await startProcess('worker');
  const apis = [await startProcess('api'), await startProcess('api')];
  const nginx = await startNginx(workDir, nginxPort, apis);

  return {
    baseUrl,
    emulator,
    database,
    apis,
    get worker() {
      return worker;
    },
    async startWorker() {
      worker = await startProcess('worker');
      return worker;
    },
    async close() {
      // TERM, not KILL: a killed nginx master leaves its worker processes running.
      const nginxExited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await nginxExited;
      await Promise.all(started.map((process) => process.kill()));
      await emulator.close();
      await database.drop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * Server processes still running. A start that times out (a hook's limit on a busy machine) never
 * hands its processes to the test's clean-up, so they are killed when the test process ends.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * One server process (`node --import tsx main.ts`) with exactly this environment, ready once its
 * `/readyz` answers 200. The other fault tests (database restart, SIGTERM) start theirs with it too.
 */
export async function launchServer(
  role: ClusterProcess['role'],
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    cwd: REPOSITORY_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: ClusterProcess = {
    role,
    port,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
  };
  await waitUntilReady(`http://127.0.0.1:${port}/readyz`, child, () => output);
  return handle;
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`a cluster process exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * nginx in the foreground with a generated configuration: round robin over the API instances, the
 * client's address forwarded (the instances trust 127.0.0.1 as their proxy), no buffering (live
 * updates), and `X-Upstream` naming the instance that answered, so tests can see both were used.
 */
async function startNginx(workDir: string, port: number, apis: ClusterProcess[]): Promise<ChildProcess> {
  const prefix = path.join(workDir, 'nginx');
  await mkdir(path.join(prefix, 'logs'), { recursive: true });
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, name)};`;
  const config = `
worker_processes 1;
daemon off;
pid ${path.join(prefix, 'nginx.pid')};
error_log ${path.join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
  upstream mailissa {
${apis.map((api) => `    server 127.0.0.1:${api.port} max_fails=0;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 50m;
    location / {
      proxy_pass http://mailissa;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_read_timeout 300s;
      # A draining instance (SIGTERM) answers 503 to a request that arrives on an old keep-alive
      # connection; nginx hands an idempotent one to the other instance (docs/operations.md §7).
      proxy_next_upstream error timeout http_503;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
  const configFile = path.join(prefix, 'nginx.conf');
  await writeFile(configFile, config);
  const nginx = spawn(NGINX, ['-p', prefix, '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  nginx.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await waitUntilReady(`http://127.0.0.1:${port}/healthz`, nginx, () => errors);
  return nginx;
}
