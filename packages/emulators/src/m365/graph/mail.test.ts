import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { clientCredentialsWithEmulator, signInWithEmulator } from '../emulator-sign-in.js';
import { DEMO_SECOND_USER_UPN, DEMO_USER_UPN } from '../seed/directory-seed.js';
import {
  LARGE_ATTACHMENT_MIN_BYTES,
  LARGE_MAIL_FILE,
  readSeedMail,
  readSeedMails,
  SEED_MAIL_DIR,
} from '../seed/seed-mails.js';
import { DEMO_TENANT_ID } from '../seed/tenant-ids.js';
import { ewsIdToRestId, restIdToEwsId } from './message-ids.js';

interface GraphMessage {
  id: string;
  subject: string;
  internetMessageId: string;
  conversationId: string;
  hasAttachments: boolean;
  toRecipients: Array<{ emailAddress: { address: string; name: string } }>;
  body: { contentType: string; content: string };
  categories: string[];
}
interface GraphAttachment {
  '@odata.type': string;
  id: string;
  name: string;
  contentType: string | null;
  size: number;
  isInline: boolean;
  contentId?: string | null;
}

let server: TestEmulatorServer;
let importDir: string;
let graph: string;
let annaToken: string;
let jonasToken: string;
let appToken: string;
let messages: GraphMessage[];

const GOOD_IMPORT =
  'From: Importer <import@example.org>\r\nTo: anna.berger@contoso.example\r\nSubject: Imported mail\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <imported-1@example.org>\r\n\r\nHello from the import folder.\r\n';

beforeAll(async () => {
  importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-import-'));
  await writeFile(path.join(importDir, 'good.eml'), GOOD_IMPORT);
  await writeFile(
    path.join(importDir, 'photo.eml'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  );
  await writeFile(path.join(importDir, 'notes.txt'), 'not a mail');
  await mkdir(path.join(importDir, 'nested'));
  server = await startEmulatorServer({ importDir });
  graph = `${server.baseUrl}/emulator/graph/v1.0`;
  const clientId = server.config.entra.clientId;
  const signIn = (user: string, scope: string) =>
    signInWithEmulator({ baseUrl: server.baseUrl, tenantId: DEMO_TENANT_ID, user, scope, clientId });
  annaToken = (await signIn(DEMO_USER_UPN, 'User.Read Mail.ReadWrite')).accessToken;
  jonasToken = (await signIn(DEMO_SECOND_USER_UPN, 'Mail.Read')).accessToken;
  appToken = (
    await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret: server.config.entra.clientSecret,
    })
  ).accessToken;
  const all = await fetch(`${graph}/me/messages?$top=100`, {
    headers: { authorization: `Bearer ${annaToken}` },
  });
  messages = ((await all.json()) as { value: GraphMessage[] }).value;
});
afterAll(async () => {
  await server?.close();
  await rm(importDir, { recursive: true, force: true });
});

const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const byMessageId = (id: string) => {
  const found = messages.find((m) => m.internetMessageId === id);
  if (!found) throw new Error(`no message ${id}`);
  return found;
};

describe('emulator Graph: mailboxes', () => {
  it('holds every seed mail plus the good imported one, newest first, paged by $top/$skip', async () => {
    const seeds = await readSeedMails();
    expect(seeds.length).toBeGreaterThanOrEqual(12);
    expect(messages.length).toBe(seeds.length + 1);
    expect(messages[0]?.subject).toBe('Imported mail');
    const first = (await (
      await fetch(`${graph}/me/messages?$top=5&$select=subject`, auth(annaToken))
    ).json()) as {
      value: GraphMessage[];
      '@odata.nextLink': string;
    };
    expect(first.value).toHaveLength(5);
    const next = new URL(first['@odata.nextLink']);
    expect(`${next.origin}${next.pathname}`).toBe(`${graph}/me/messages`);
    expect(Object.fromEntries(next.searchParams)).toEqual({ $select: 'subject', $top: '5', $skip: '5' });
    const second = (await (await fetch(first['@odata.nextLink'], auth(annaToken))).json()) as {
      value: GraphMessage[];
    };
    expect(second.value[0]?.id).toBe(messages[5]?.id);
  });

  it('reports the skipped import files by name', () => {
    expect(server.app.emulator.importReport.imported).toEqual(['good.eml']);
    expect(server.app.emulator.importReport.skipped.map((s) => s.fileName).sort()).toEqual([
      'nested',
      'notes.txt',
      'photo.eml',
    ]);
  });

  it('serves $value byte for byte as the seed file', async () => {
    for (const file of ['01-plain-text.eml', '07-non-ascii.eml', '04-inline-images.eml']) {
      const seed = await readSeedMail(file);
      const id = /^Message-ID: (.+)\r$/m.exec(seed.toString('latin1'))?.[1] ?? '';
      const response = await fetch(`${graph}/me/messages/${byMessageId(id).id}/$value`, auth(annaToken));
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(seed)).toBe(true);
    }
    const imported = messages[0] as GraphMessage;
    const raw = await fetch(`${graph}/me/messages/${imported.id}/$value`, auth(annaToken));
    expect(Buffer.from(await raw.arrayBuffer()).toString('utf8')).toBe(GOOD_IMPORT);
  });

  it("readdresses only the recipients: a mail Anna sent still comes from her in Jonas's mailbox, as in Exchange", async () => {
    const sent = '<alpha-thread-2@contoso.example>';
    const filter = encodeURIComponent(`internetMessageId eq '${sent}'`);
    const copies = await Promise.all(
      [DEMO_USER_UPN, DEMO_SECOND_USER_UPN].map(async (user) => {
        const page = (await (
          await fetch(
            `${graph}/users/${user}/messages?$filter=${filter}&$select=id,from,ccRecipients`,
            auth(appToken),
          )
        ).json()) as {
          value: Array<{
            id: string;
            from: { emailAddress: { address: string } };
            ccRecipients: Array<{ emailAddress: { address: string } }>;
          }>;
        };
        const copy = page.value[0];
        if (!copy) throw new Error(`no copy for ${user}`);
        const mime = await (
          await fetch(`${graph}/users/${user}/messages/${copy.id}/$value`, auth(appToken))
        ).text();
        return { copy, head: mime.slice(0, mime.indexOf('\r\n\r\n')) };
      }),
    );
    const [anna, jonas] = copies;
    expect(jonas?.copy.from.emailAddress.address).toBe(DEMO_USER_UPN);
    expect(jonas?.copy.ccRecipients.map((r) => r.emailAddress.address)).toEqual([DEMO_SECOND_USER_UPN]);
    expect(jonas?.head).toContain(`From: Anna Berger <${DEMO_USER_UPN}>`);
    expect(jonas?.head).toContain(`Cc: Jonas Weber <${DEMO_SECOND_USER_UPN}>`);
    expect(anna?.copy.from.emailAddress.address).toBe(DEMO_USER_UPN);
  });

  it('streams the large mail identically on every start and for every user (only the header is readdressed)', async () => {
    const seed = await readSeedMail(LARGE_MAIL_FILE);
    expect(seed.length).toBeGreaterThan(LARGE_ATTACHMENT_MIN_BYTES);
    const large = byMessageId('<20261109112000.bigdata@contoso.example>');
    const annas = Buffer.from(
      await (await fetch(`${graph}/me/messages/${large.id}/$value`, auth(annaToken))).arrayBuffer(),
    );
    expect(annas.equals(seed)).toBe(true);
    const jonasList = (await (
      await fetch(`${graph}/me/messages?$top=50&$select=internetMessageId`, auth(jonasToken))
    ).json()) as {
      value: GraphMessage[];
    };
    const jonasLarge = jonasList.value.find(
      (m) => m.internetMessageId === large.internetMessageId,
    ) as GraphMessage;
    expect(jonasLarge.id).not.toBe(large.id);
    const jonas = Buffer.from(
      await (await fetch(`${graph}/me/messages/${jonasLarge.id}/$value`, auth(jonasToken))).arrayBuffer(),
    );
    const headerEnd = seed.indexOf('\r\n\r\n');
    expect(jonas.subarray(jonas.indexOf('\r\n\r\n')).equals(seed.subarray(headerEnd))).toBe(true);
    expect(jonas.subarray(0, jonas.indexOf('\r\n\r\n')).toString('latin1')).toContain(
      `To: Jonas Weber <${DEMO_SECOND_USER_UPN}>`,
    );
    const attachments = (await (
      await fetch(`${graph}/me/messages/${large.id}/attachments?$select=name,size`, auth(annaToken))
    ).json()) as {
      value: GraphAttachment[];
    };
    expect(attachments.value[0]?.size).toBeGreaterThanOrEqual(LARGE_ATTACHMENT_MIN_BYTES);
  });

  it('derives Graph fields from the MIME: recipients, non-ASCII subject, thread, attachments', async () => {
    const umlaut = byMessageId('<20261110100203.umlaut@contoso.example>');
    expect(umlaut.subject).toBe('Prüfbericht März – Größenänderung für Müller & Söhne ✓');
    expect(umlaut.hasAttachments).toBe(true);
    const files = (await (
      await fetch(`${graph}/me/messages/${umlaut.id}/attachments`, auth(annaToken))
    ).json()) as { value: GraphAttachment[] };
    expect(files.value.map((a) => a.name)).toEqual([
      'Prüfbericht März 2026.pdf',
      'Kostenvoranschlag Größenänderung.txt',
    ]);
    const pdf = files.value[0] as GraphAttachment;
    const bytes = Buffer.from(
      await (
        await fetch(`${graph}/me/messages/${umlaut.id}/attachments/${pdf.id}/$value`, auth(annaToken))
      ).arrayBuffer(),
    );
    expect(bytes.subarray(0, 5).toString('latin1'), bytes.toString('utf8').slice(0, 300)).toBe('%PDF-');
    expect(bytes.length).toBe(pdf.size);

    const inline = byMessageId('<20261105084500.c0ffee@contoso.example>');
    expect(inline.hasAttachments).toBe(false);
    expect(inline.body.contentType).toBe('html');
    expect(inline.body.content).toContain('cid:logo.8d2a@contoso.example');
    const images = (await (
      await fetch(`${graph}/me/messages/${inline.id}/attachments`, auth(annaToken))
    ).json()) as { value: GraphAttachment[] };
    expect(
      images.value.every((a) => a.isInline && a['@odata.type'] === '#microsoft.graph.fileAttachment'),
    ).toBe(true);
    expect(images.value.map((a) => a.contentId)).toContain('logo.8d2a@contoso.example');

    const forwarded = byMessageId('<20261111093000.fwd4711@contoso.example>');
    const items = (await (
      await fetch(`${graph}/me/messages/${forwarded.id}/attachments`, auth(annaToken))
    ).json()) as { value: GraphAttachment[] };
    expect(items.value[0]?.['@odata.type']).toBe('#microsoft.graph.itemAttachment');
    const attached = await fetch(
      `${graph}/me/messages/${forwarded.id}/attachments/${items.value[0]?.id}/$value`,
      auth(annaToken),
    );
    expect(await attached.text()).toContain('Subject: Complaint about delivery 4711');

    const thread = messages.filter((m) => m.subject.endsWith('Project Alpha: schedule for the rollout'));
    expect(thread.length).toBe(5);
    expect(new Set(thread.map((m) => m.conversationId)).size).toBe(1);
    const filtered = (await (
      await fetch(
        `${graph}/me/messages?$filter=${encodeURIComponent(`conversationId eq '${thread[0]?.conversationId}'`)}`,
        auth(annaToken),
      )
    ).json()) as { value: GraphMessage[] };
    expect(filtered.value.length).toBe(5);
  });

  it('accepts percent-encoded ids (clients encode the = padding)', async () => {
    for (const message of messages.slice(0, 3)) {
      const response = await fetch(
        `${graph}/me/messages/${encodeURIComponent(message.id)}?$select=subject`,
        auth(annaToken),
      );
      expect(response.status).toBe(200);
    }
  });

  it('converts ids as Outlook does', () => {
    const rest = messages[1]?.id ?? '';
    const ews = restIdToEwsId(rest);
    expect(ewsIdToRestId(ews)).toBe(rest);
    expect(ews).not.toMatch(/[-_]/);
    expect(ewsIdToRestId('AAMk+AG/I2=')).toBe('AAMk_AG-I2=');
  });

  it('updates categories with PATCH', async () => {
    const target = messages[2] as GraphMessage;
    const response = await fetch(`${graph}/me/messages/${target.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${annaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ categories: ['Mailissa: Open', 'Project X'] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as GraphMessage).categories).toEqual(['Mailissa: Open', 'Project X']);
    const readOnly = await fetch(`${graph}/me/messages/${messages[2]?.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${jonasToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ categories: [] }),
    });
    expect(readOnly.status).toBe(403);
  });

  it('lets a delegated token read only its own mailbox; app-only tokens read any in the tenant', async () => {
    const denied = await fetch(`${graph}/users/${DEMO_USER_UPN}/messages`, auth(jonasToken));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('ErrorAccessDenied');
    const other = await fetch(`${graph}/me/messages/${messages[0]?.id}`, auth(jonasToken));
    expect(other.status).toBe(404);
    const app = await fetch(
      `${graph}/users/${DEMO_USER_UPN}/messages/${messages[1]?.id}/$value`,
      auth(appToken),
    );
    expect(app.status).toBe(200);
    const me = await fetch(`${graph}/me/messages`, auth(appToken));
    expect(me.status).toBe(400);
  });

  it('keeps master categories per mailbox', async () => {
    const clientId = server.config.entra.clientId;
    const token = (
      await signInWithEmulator({
        baseUrl: server.baseUrl,
        tenantId: DEMO_TENANT_ID,
        user: DEMO_USER_UPN,
        scope: 'MailboxSettings.ReadWrite',
        clientId,
      })
    ).accessToken;
    const url = `${graph}/me/outlook/masterCategories`;
    const initial = (await (await fetch(url, auth(token))).json()) as {
      value: Array<{ displayName: string; color: string }>;
    };
    expect(initial.value[0]).toMatchObject({ displayName: 'Red category', color: 'preset0' });
    const created = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Mailissa: Done', color: 'preset4' }),
    });
    expect(created.status).toBe(201);
    const duplicate = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'mailissa: done' }),
    });
    expect(duplicate.status).toBe(409);
    expect((await fetch(url, auth(annaToken))).status).toBe(403);
  });

  it('keeps the seed files CRLF-only and each under 1 MB', async () => {
    const { readdir, readFile, stat } = await import('node:fs/promises');
    for (const name of (await readdir(SEED_MAIL_DIR)).filter((n) => n.endsWith('.eml'))) {
      const file = path.join(SEED_MAIL_DIR, name);
      expect((await stat(file)).size).toBeLessThan(1024 * 1024);
      expect((await readFile(file)).toString('latin1')).not.toMatch(/[^\r]\n/);
    }
  });
});
