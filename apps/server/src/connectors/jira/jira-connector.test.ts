import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JIRA_DEMO_ACCOUNTS } from '../../demo/emulators.js';
import { failureOf } from '../../test-support/app-error-of.js';
import { RECORD_PART_KEY } from '../rest-target/record-once.js';
import {
  mailOf,
  memoryProgress,
  part,
  restContext,
  type SaasEmulators,
  startSaasEmulators,
} from '../rest-target/rest-target-test-support.js';
import { targetRequest } from '../rest-target/target-http.js';
import { JIRA } from './jira-client.js';
import { jiraConnector } from './jira-connector.js';

let emulators: SaasEmulators;
const anna = JIRA_DEMO_ACCOUNTS.anna;
const credential = { email: anna.emailAddress, apiToken: anna.apiToken };
const context = () => restContext(credential);
const settingsFor = (extra: Record<string, unknown> = {}) =>
  jiraConnector.validateSettings({ siteUrl: emulators.jira.siteUrl, projectKey: 'mail', ...extra });

/** Reads an attachment back over HTTP, as a Jira user would download it. */
async function download(id: string): Promise<Buffer> {
  const response = await fetch(`${emulators.jira.siteUrl}/rest/api/3/attachment/content/${id}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${anna.emailAddress}:${anna.apiToken}`).toString('base64')}`,
    },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  emulators = await startSaasEmulators({ maxAttachmentBytes: 256 * 1024 });
});
afterAll(async () => {
  await emulators?.close();
});

describe('Jira connector against the Jira Cloud stand-in', () => {
  it('validates settings, naming the bad field', () => {
    expect(settingsFor()).toEqual({
      siteUrl: emulators.jira.siteUrl,
      projectKey: 'MAIL',
      issueType: 'Task',
      issueKey: '',
      fieldMapping: [],
    });
    expect(() => settingsFor({ projectKey: 'no spaces' })).toThrow(/settings.projectKey/);
    expect(() =>
      jiraConnector.validateSettings({ siteUrl: 'http://jira.example.com', projectKey: 'MAIL' }),
    ).toThrow(/settings.siteUrl: must start with https/);
    expect(() => settingsFor({ issueKey: 'MAIL' })).toThrow(/settings.issueKey/);
    expect(() => settingsFor({ fieldMapping: [{ field: 'summary', source: 'from' }] })).toThrow(
      /settings.fieldMapping.0.field/,
    );
    expect(() => settingsFor({ fieldMapping: [{ field: 'customfield_1', source: 'nose' }] })).toThrow(
      /settings.fieldMapping.0.source/,
    );
  });

  it('tests the connection: the site without credentials, the account, project and issue type with them', async () => {
    expect(await jiraConnector.testConnection(restContext(), settingsFor())).toMatchObject({ ok: true });
    expect(await jiraConnector.testConnection(context(), settingsFor())).toEqual({
      ok: true,
      message: 'Signed in as Anna Berger; project Mail intake is ready.',
    });
    expect(await jiraConnector.testConnection(context(), settingsFor({ issueType: 'Epic' }))).toMatchObject({
      ok: false,
      message: 'Project MAIL has no issue type "Epic".',
    });
    expect(await jiraConnector.testConnection(context(), settingsFor({ projectKey: 'HR' }))).toMatchObject({
      ok: false,
    });
    expect(
      await jiraConnector.testConnection(restContext({ ...credential, apiToken: 'wrong' }), settingsFor()),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/connect your account again/) });
  });

  it('creates an issue with the text in ADF and the mail and attachments byte-identical; a second mail becomes a comment', async () => {
    const eml = Buffer.from('From: lena.vogt@fabrikam.example\r\nSubject: Offer\r\n\r\nHello\r\n');
    const pdf = randomBytes(150_000);
    const mail = mailOf(
      'Offer 2026 for "Contoso"\nline two',
      'Dear Anna,\n\nhere is our offer.\nRegards\nLena',
      [part('message', 'message.eml', eml), part('attachment:1', 'Angebot Größe.pdf', pdf)],
    );
    const settings = settingsFor({
      fieldMapping: [
        { field: 'customfield_10040', source: 'from' },
        { field: 'customfield_10041', source: 'date' },
        { field: 'customfield_10042', source: 'category' },
      ],
    });
    const progress = memoryProgress();
    const result = await jiraConnector.transferMail(context(), settings, mail, progress);
    const issue = emulators.jira.store.issues.at(-1);
    if (!issue) throw new Error('no issue was created');
    expect(result.url).toBe(`${emulators.jira.siteUrl}/browse/${issue.key}`);
    expect(issue.summary).toBe('Offer 2026 for "Contoso" line two');
    expect(issue.issueTypeId).toBe('10001');
    expect(issue.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: 'From Lena Vogt <lena.vogt@fabrikam.example>, received 2026-11-09T10:20:00.000Z',
              marks: [{ type: 'em' }],
            },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Dear Anna,' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'here is our offer.' },
            { type: 'hardBreak' },
            { type: 'text', text: 'Regards' },
            { type: 'hardBreak' },
            { type: 'text', text: 'Lena' },
          ],
        },
      ],
    });
    expect(issue.custom).toEqual({
      customfield_10040: 'Lena Vogt <lena.vogt@fabrikam.example>',
      customfield_10041: '2026-11-09T10:20:00.000+0000',
      customfield_10042: 'Customer, Urgent',
    });
    expect(issue.labels).toEqual([expect.stringMatching(/^mailissa-/)]);
    expect(issue.attachments.map((a) => [a.filename, a.size, a.mimeType])).toEqual([
      ['2026-11-09 1020 Offer 2026 for _Contoso_ line two.eml', eml.byteLength, 'message/rfc822'],
      ['Angebot Größe.pdf', pdf.byteLength, 'application/octet-stream'],
    ]);
    expect((await download(issue.attachments[0]?.id ?? '')).equals(eml)).toBe(true);
    expect((await download(issue.attachments[1]?.id ?? '')).equals(pdf)).toBe(true);
    expect(result.files.map((f) => f.name)).toEqual(issue.attachments.map((a) => a.filename));

    const issuesBefore = emulators.jira.store.issues.length;
    const reply = mailOf('Re: Offer', 'Thanks, accepted.', [
      part('message', 'message.eml', Buffer.from('reply mime')),
      part('attachment:9', 'signed.pdf', Buffer.from('signed')),
    ]);
    const second = await jiraConnector.transferMail(context(), settingsFor(), reply, memoryProgress(), {
      linkTo: issue.key.toLowerCase(),
    });
    expect(second.url).toBe(result.url);
    expect(emulators.jira.store.issues).toHaveLength(issuesBefore);
    expect(issue.comments).toHaveLength(1);
    expect(JSON.stringify(issue.comments[0]?.body)).toContain('Thanks, accepted.');
    expect(JSON.stringify(issue.comments[0]?.body)).toContain('Mail \\"Re: Offer\\" from Lena Vogt');
    expect(issue.attachments.map((a) => a.filename).slice(2)).toEqual([
      '2026-11-09 1020 Re_ Offer.eml',
      'signed.pdf',
    ]);
    expect((await download(issue.attachments[3]?.id ?? '')).toString()).toBe('signed');
  });

  it('creates exactly one issue when the worker dies after the create and again after an upload', async () => {
    const subject = `Exactly once ${randomBytes(4).toString('hex')}`;
    const parts = () => [
      part('message', 'm.eml', Buffer.from('mime')),
      part('attachment:1', 'a.txt', Buffer.from('abc')),
    ];
    const progress = memoryProgress();
    progress.crashOnDone(RECORD_PART_KEY);
    await expect(
      jiraConnector.transferMail(context(), settingsFor(), mailOf(subject, 'text', parts()), progress),
    ).rejects.toThrow(/worker died/);
    expect(emulators.jira.store.issues.filter((i) => i.summary === subject)).toHaveLength(1);

    progress.crashOnDone('attachment:1');
    await expect(
      jiraConnector.transferMail(context(), settingsFor(), mailOf(subject, 'text', parts()), progress),
    ).rejects.toThrow(/worker died/);

    const opened: string[] = [];
    const rerun = mailOf(subject, 'text', [
      part('message', 'm.eml', Buffer.from('mime'), opened),
      part('attachment:1', 'a.txt', Buffer.from('abc'), opened),
    ]);
    const result = await jiraConnector.transferMail(context(), settingsFor(), rerun, progress);
    const mine = emulators.jira.store.issues.filter((i) => i.summary === subject);
    expect(mine).toHaveLength(1);
    expect(result.url).toMatch(new RegExp(`/browse/${mine[0]?.key}$`));
    expect(mine[0]?.attachments.map((a) => a.filename)).toEqual([`2026-11-09 1020 ${subject}.eml`, 'a.txt']);
    expect(opened).toEqual([]);
  });

  it('adds exactly one comment when the worker dies after commenting', async () => {
    const issue = emulators.jira.store.issues[0];
    if (!issue) throw new Error('no issue');
    const before = issue.comments.length;
    const progress = memoryProgress();
    progress.crashOnDone(RECORD_PART_KEY);
    const mail = mailOf('Follow-up', 'More.', [part('message', 'm.eml', Buffer.from('x'))]);
    await expect(
      jiraConnector.transferMail(context(), settingsFor(), mail, progress, { linkTo: issue.key }),
    ).rejects.toThrow(/worker died/);
    await jiraConnector.transferMail(context(), settingsFor(), mail, progress, { linkTo: issue.key });
    expect(issue.comments).toHaveLength(before + 1);
  });

  it('finds issues to link to by key and by words', async () => {
    const issue = emulators.jira.store.issues[0];
    if (!issue) throw new Error('no issue');
    expect(
      await jiraConnector.findExistingRecords(context(), settingsFor(), { text: issue.key.toLowerCase() }),
    ).toEqual([
      {
        id: issue.key,
        title: `${issue.key} ${issue.summary}`,
        url: `${emulators.jira.siteUrl}/browse/${issue.key}`,
      },
    ]);
    const byWords = await jiraConnector.findExistingRecords(context(), settingsFor(), {
      text: 'offer "contoso',
    });
    expect(byWords.map((record) => record.id)).toEqual([issue.key]);
    expect(await jiraConnector.findExistingRecords(context(), settingsFor(), { text: 'MAIL-9999' })).toEqual(
      [],
    );
  });

  it('classifies failures: reconnect, denied, gone, conflict, too large, throttled, unavailable, timeout', async () => {
    const mail = () => mailOf('Failing', 'x', [part('message', 'm.eml', Buffer.from('x'))]);
    const run = (ctx = context(), choices?: { linkTo: string }) =>
      failureOf(jiraConnector.transferMail(ctx, settingsFor(), mail(), memoryProgress(), choices));

    expect(await run(restContext())).toMatchObject({ status: 401, code: 'target_credentials_missing' });
    expect(await run(restContext({ ...credential, apiToken: 'revoked' }))).toMatchObject({
      status: 401,
      code: 'target_credentials_rejected',
    });
    expect(await run(context(), { linkTo: 'MAIL-9999' })).toMatchObject({
      status: 404,
      code: 'target_record_not_found',
    });
    const faults = emulators.jira.faults;
    const cases: [number, object][] = [
      [403, { status: 403, code: 'target_access_denied' }],
      [409, { status: 409, code: 'target_conflict' }],
      [429, { status: 503, code: 'target_throttled', extra: { targetStatus: 429, retryAfterMs: 7000 } }],
      [500, { status: 503, code: 'target_unavailable' }],
      [503, { status: 503, code: 'target_unavailable' }],
      [400, { status: 422, code: 'target_rejected' }],
    ];
    for (const [status, expected] of cases) {
      faults.inject({
        method: 'POST',
        pathPattern: /\/rest\/api\/3\/issue$/,
        status,
        retryAfterSeconds: 7,
        times: 1,
      });
      expect(await run()).toMatchObject(expected);
    }
    expect(faults.pending()).toBe(0);

    const big = mailOf('Too big', 'x', [part('attachment:1', 'huge.bin', randomBytes(300 * 1024))]);
    expect(
      await failureOf(jiraConnector.transferMail(context(), settingsFor(), big, memoryProgress())),
    ).toMatchObject({
      status: 413,
      code: 'target_file_too_large',
    });

    faults.inject({ pathPattern: /\/myself$/, status: 504, hang: true, times: 1 });
    expect(
      await failureOf(
        targetRequest(context(), JIRA, {
          url: `${emulators.jira.siteUrl}/rest/api/3/myself`,
          what: 'who am I',
          timeoutMs: 150,
        }),
      ),
    ).toMatchObject({ status: 503, code: 'target_timeout' });
    expect(
      await failureOf(
        targetRequest(context(), JIRA, { url: 'http://127.0.0.1:9/rest/api/3/myself', what: 'who am I' }),
      ),
    ).toMatchObject({ status: 503, code: 'target_unreachable' });
  });
});
