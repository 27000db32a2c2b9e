import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transfer } from '@mailissa/contracts';
import { vi } from 'vitest';
import { withTenant } from '../db/database.js';
import { signInWithEmulator } from '../demo/emulators.js';
import { seedDemoTargets } from '../demo/seed-demo-targets.js';
import type { GraphClient } from '../graph/graph-client.js';
import { tenantGraphFactory } from '../graph/tenant-graph.js';
import type { TestServer } from '../test-support/test-server.js';

export const HOSTILE_MAIL_SUBJECT = 'Hostile attachment names';
export const HOSTILE_NAMES = [
  '../../etc/passwd',
  'CON.txt',
  `${'A'.repeat(300)}.pdf`,
  'invoice\u202Efdp.exe',
] as const;

/** A mail whose attachment names try path traversal, a device name, excess length and an RTL override. */
export async function writeHostileMail(directory: string): Promise<void> {
  const boundary = 'hostile-boundary';
  const parts = HOSTILE_NAMES.map((name, index) => {
    // RFC 2231 so any character, including U+202E, survives the header.
    const encoded = encodeURIComponent(name).replace(/'/g, '%27');
    return [
      `--${boundary}`,
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename*=utf-8''${encoded}`,
      '',
      Buffer.from(`hostile attachment ${index}\r\n`).toString('base64'),
      '',
    ].join('\r\n');
  });
  const mail = [
    'From: Mallory <mallory@attacker.example>',
    'To: Anna Berger <anna.berger@contoso.example>',
    `Subject: ${HOSTILE_MAIL_SUBJECT}`,
    'Date: Fri, 27 Nov 2026 08:00:00 +0000',
    'Message-ID: <hostile-names@attacker.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please open the attachments.',
    '',
    ...parts,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  await writeFile(path.join(directory, 'hostile-names.eml'), mail);
}

export function apiClient(server: TestServer) {
  return async function api<T>(
    token: string,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}

/** An access token for our API, for a demo user, through the emulator's sign-in over HTTP. */
/** A token of `user` for `scope`, through the emulator's real authorize and token endpoints. */
export async function emulatorTokenFor(
  server: TestServer,
  tenantId: string,
  user: string,
  scope: string,
): Promise<string> {
  const tokens = await signInWithEmulator({
    baseUrl: server.baseUrl,
    tenantId,
    user,
    scope,
    clientId: server.config.entra.clientId,
  });
  return tokens.accessToken;
}

export async function accessTokenFor(server: TestServer, tenantId: string, user: string): Promise<string> {
  const accessToken = await emulatorTokenFor(
    server,
    tenantId,
    user,
    `api://${server.config.entra.clientId}/access_as_user`,
  );
  // The first authenticated call records the user (and hands out licences while seats last).
  await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return accessToken;
}

export async function demoTenantId(server: TestServer): Promise<string> {
  const result = await server.database.db.query<{ id: string }>(
    'select id from tenants where microsoft_tenant_id = $1',
    [server.app.emulator.ids.demoTenantId],
  );
  const id = result.rows[0]?.id;
  if (!id) throw new Error('the demo tenant is not seeded');
  return id;
}

export async function seedTargets(server: TestServer): Promise<{ contracts: string; alpha: string }> {
  const tenantId = await demoTenantId(server);
  await seedDemoTargets(server.database.db, tenantId);
  const rows = await withTenant(server.database.db, tenantId, (tx) =>
    tx.query<{ id: string; title: string }>(
      'select id, title_en as title from targets where tenant_id = $1',
      [tenantId],
    ),
  );
  const byTitle = new Map(rows.rows.map((row) => [row.title, row.id]));
  return { contracts: byTitle.get('Contracts 2026') ?? '', alpha: byTitle.get('Project Alpha') ?? '' };
}

export function demoGraph(server: TestServer): GraphClient {
  return tenantGraphFactory(server.config)(server.app.emulator.ids.demoTenantId, { profile: 'request' });
}

export interface MailRef {
  id: string;
  internetMessageId: string;
  subject: string;
}

export async function findMail(server: TestServer, subject: string, userId?: string): Promise<MailRef> {
  const owner = userId ?? server.app.emulator.ids.demoUserOid;
  for await (const mail of demoGraph(server).paginate<MailRef>(
    `/users/${owner}/messages?$select=id,subject,internetMessageId&$top=100`,
  )) {
    if (mail.subject === subject) return mail;
  }
  throw new Error(`no mail "${subject}" in the mailbox`);
}

export async function folderChildren(
  server: TestServer,
  folderPath: string,
): Promise<{ name: string; size: number }[]> {
  const encoded = folderPath.split('/').map(encodeURIComponent).join('/');
  const children: { name: string; size: number }[] = [];
  for await (const item of demoGraph(server).paginate<{ name: string; size: number }>(
    `/drives/${encodeURIComponent(server.app.emulator.ids.demoDriveId)}/root:/${encoded}:/children?$top=200`,
  )) {
    children.push({ name: item.name, size: item.size });
  }
  return children;
}

export async function waitForTransfer(
  server: TestServer,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<Transfer> {
  const api = apiClient(server);
  return vi.waitFor(
    async () => {
      const { body } = await api<{ transfer: Transfer }>(token, 'GET', `/api/transfers/${id}`);
      if (body.transfer.state !== 'done' && body.transfer.state !== 'failed')
        throw new Error(`transfer ${id} still ${body.transfer.state}`);
      return body.transfer;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}
