import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mailissa/emulators/test-client';

/**
 * A real Apache httpd with mod_dav for tests (Debian's apache2; `.ci/run` installs it when missing):
 * a generated configuration in a temp directory, a free loopback port, basic auth from an htpasswd
 * file, started in the foreground (-X) and stopped by the test. Folders: `/dav/` (read-write),
 * `/dav/readonly/` (writes forbidden → 403), `/dav/small/` (bodies over 1 KiB → 413).
 */
export interface ApacheWebDav {
  origin: string;
  /** The read-write WebDAV collection, with a trailing slash. */
  davUrl: string;
  /** The directory on disk behind `/dav/`, to read back what was written. */
  root: string;
  username: string;
  password: string;
  /** The password file Apache reads on every request: `htpasswd -bB` on it changes a password at once. */
  htpasswdFile: string;
  stop(): Promise<void>;
}

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export function apacheAvailable(): boolean {
  return existsSync(APACHE) && existsSync(join(MODULES, 'mod_dav_fs.so'));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startApacheWebDav(): Promise<ApacheWebDav> {
  const dir = mkdtempSync(join(tmpdir(), 'mailissa-apache-'));
  const root = join(dir, 'htdocs', 'dav');
  for (const sub of ['readonly', 'small']) mkdirSync(join(root, sub), { recursive: true });
  mkdirSync(join(dir, 'lock'));
  const username = 'alice';
  const password = 'wonder land:ä';
  execFileSync('htpasswd', ['-cbB', join(dir, 'htpasswd'), username, password], { stdio: 'ignore' });
  // As root, Apache drops to an unprivileged user, which must be able to write the tree.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // mkdtemp makes the directory private to root; Apache's user must traverse it.
    chmodSync(dir, 0o755);
    for (const path of [root, join(root, 'readonly'), join(root, 'small'), join(dir, 'lock')]) {
      chownSync(path, 33, 33);
    }
  }
  const port = await freePort();
  const modules = [
    ['mpm_prefork_module', 'mod_mpm_prefork.so'],
    ['authn_core_module', 'mod_authn_core.so'],
    ['authz_core_module', 'mod_authz_core.so'],
    ['authn_file_module', 'mod_authn_file.so'],
    ['authz_user_module', 'mod_authz_user.so'],
    ['auth_basic_module', 'mod_auth_basic.so'],
    ['dav_module', 'mod_dav.so'],
    ['dav_fs_module', 'mod_dav_fs.so'],
  ];
  const conf = [
    `ServerRoot "${dir}"`,
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    `PidFile "${dir}/httpd.pid"`,
    `DefaultRuntimeDir "${dir}"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    // -X serves one connection at a time: a client's idle keep-alive connection would block the next.
    'KeepAlive Off',
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    ...modules.map(([name, file]) => `LoadModule ${name} "${MODULES}/${file}"`),
    `DavLockDB "${dir}/lock/DavLock"`,
    `DocumentRoot "${dir}/htdocs"`,
    `<Directory "${root}">`,
    '  Dav On',
    '  AuthType Basic',
    '  AuthName "Mailissa test"',
    '  AuthBasicProvider file',
    `  AuthUserFile "${dir}/htpasswd"`,
    '  Require valid-user',
    '</Directory>',
    `<Directory "${root}/readonly">`,
    '  <LimitExcept GET HEAD OPTIONS PROPFIND>',
    '    Require all denied',
    '  </LimitExcept>',
    '</Directory>',
    `<Directory "${root}/small">`,
    '  LimitRequestBody 1024',
    '</Directory>',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'httpd.conf'), conf);
  const child: ChildProcess = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-X'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const started = Date.now();
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() - started > 15_000) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`apache2 did not start: ${stderr}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    davUrl: `${origin}/dav/`,
    root,
    username,
    password,
    htpasswdFile: join(dir, 'htpasswd'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
