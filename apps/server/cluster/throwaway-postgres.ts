import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/test-support/test-server.js';

const run = promisify(execFile);
/** Debian's PostgreSQL server binaries (package postgresql-15 on the CI machine), the newest installed. */
async function binDir(): Promise<string> {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const versions = (await readdir('/usr/lib/postgresql')).map(Number).filter(Number.isFinite);
  return `/usr/lib/postgresql/${Math.max(...versions)}/bin`;
}

/** A PostgreSQL cluster of its own, which a fault test may stop and start at will. */
export interface ThrowawayPostgres {
  /** postgres://…/postgres on a free loopback port. */
  url: string;
  /** `pg_ctl stop -m fast`: sessions are ended and the server is gone until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * `initdb` in a temporary folder and `pg_ctl start` on a free loopback port, with trust
 * authentication for loopback only. PostgreSQL refuses to run as root, so as root the cluster belongs
 * to Debian's `postgres` user and its commands run as that user.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailissa-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const asUser = process.getuid?.() === 0 ? await postgresUser() : null;
  const bin = await binDir();
  if (asUser) await chown(dir, asUser.uid, asUser.gid);
  const pg = async (program: string, args: string[]) => {
    await run(path.join(bin, program), args, {
      ...(asUser ? { uid: asUser.uid, gid: asUser.gid } : {}),
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    });
  };
  await pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // Listen on loopback only; the socket directory is the cluster's own, not /var/run/postgresql.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    pg('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
    run('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
  ]);
  return { uid, gid };
}
