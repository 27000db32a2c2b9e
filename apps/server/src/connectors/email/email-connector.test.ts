import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MailCatcher, startMailCatcher } from '../../demo/emulators.js';
import { AppError } from '../../errors/app-error.js';
import { createMailSender } from '../../mail/create-mail-sender.js';
import type { MailSender } from '../../mail/mail.schemas.js';
import { RECORD_PART_KEY } from '../rest-target/record-once.js';
import { mailOf, memoryProgress, part, restContext } from '../rest-target/rest-target-test-support.js';
import { connectorMailer } from './connector-mailer.js';
import { emailConnector } from './email-connector.js';

let catcher: MailCatcher;
let directory: string;
let sender: MailSender;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'mailissa-forward-'));
  catcher = await startMailCatcher({ directory, port: 0 });
  sender = createMailSender({ smtpUrl: catcher.smtpUrl, from: 'Mailissa <no-reply@mailissa.example>' });
});
afterAll(async () => {
  sender?.close();
  await catcher?.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(async () => {
  await catcher.clear();
});

const context = () => ({
  ...restContext(),
  mailer: connectorMailer(sender, 'Mailissa <no-reply@mailissa.example>'),
});
const settings = () => emailConnector.validateSettings({ to: 'support@tickets.example', subjectPrefix: '' });

/**
 * A MIME original as Exchange hands it out: CRLF lines, an 8-bit UTF-8 header and body, a line that
 * begins with a dot (SMTP doubles it on the wire), a base64 attachment and trailing whitespace.
 */
const original = Buffer.from(
  [
    'From: Lena Vogt <lena.vogt@fabrikam.example>',
    'To: Anna Berger <anna.berger@contoso.example>',
    'Subject: =?utf-8?Q?Liefertermine_f=C3=BCr_KW_49?=',
    'Message-ID: <original-1@fabrikam.example>',
    'Date: Mon, 09 Nov 2026 10:20:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="inner-boundary"',
    '',
    '--inner-boundary',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hallo Anna, die Termine für KW 49:   ',
    '.',
    '..a line with dots',
    '',
    '--inner-boundary',
    'Content-Type: application/pdf; name="plan.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    randomBytes(600).toString('base64').replace(/.{76}/g, '$&\r\n'),
    '--inner-boundary--',
    '',
  ].join('\r\n'),
  'utf8',
);

/** The body of the message/rfc822 part of a multipart message, exactly as it arrived. */
function attachedMessage(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1];
  if (!boundary) throw new Error('the forwarded mail is not multipart');
  const parts = text.split(`\r\n--${boundary}`);
  const rfc822 = parts.find((candidate) =>
    /^content-type:\s*message\/rfc822/im.test(candidate.split('\r\n\r\n')[0] ?? ''),
  );
  if (!rfc822) throw new Error('no message/rfc822 part');
  const headerEnd = rfc822.indexOf('\r\n\r\n');
  expect(rfc822.slice(0, headerEnd)).not.toMatch(/content-transfer-encoding:\s*(base64|quoted-printable)/i);
  return Buffer.from(rfc822.slice(headerEnd + 4), 'latin1');
}

/** The Message-ID of the forwarding mail itself (its own header, unfolded; not the attached one's). */
function outerMessageId(raw: Buffer): string | undefined {
  const text = raw.toString('latin1');
  const header = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return /^Message-ID: (.+)$/im.exec(header)?.[1];
}

describe('e-mail connector through the SMTP mail catcher', () => {
  it('validates settings, naming the bad field', () => {
    expect(settings()).toEqual({ to: 'support@tickets.example', subjectPrefix: '[Mailissa]' });
    expect(() => emailConnector.validateSettings({ to: 'not an address' })).toThrow(/^settings\.to: /);
    expect(() => emailConnector.validateSettings({})).toThrow(/^settings\.to: /);
    expect(() =>
      emailConnector.validateSettings({ to: 'a@b.example', subjectPrefix: '[x]\r\nBcc: evil@example.com' }),
    ).toThrow(/^settings\.subjectPrefix: must be one line$/);
  });

  it('forwards the original as a message/rfc822 attachment, byte for byte, with the subject prefix', async () => {
    const progress = memoryProgress();
    const opened: string[] = [];
    const result = await emailConnector.transferMail(
      context(),
      settings(),
      mailOf('Liefertermine für KW 49', 'Hallo', [part('message', 'message.eml', original, opened)]),
      progress,
    );
    expect(result).toEqual({ url: null, files: [] });
    const [summary] = await catcher.list();
    const caught = await catcher.get(summary?.id ?? '');
    expect(caught).toMatchObject({
      subject: '[Mailissa] Liefertermine für KW 49',
      envelopeTo: ['support@tickets.example'],
    });
    expect(caught?.text).toContain('From: Lena Vogt <lena.vogt@fabrikam.example>');
    const raw = await catcher.source(summary?.id ?? '');
    if (!raw) throw new Error('no source');
    expect(attachedMessage(raw).equals(original)).toBe(true);
    // Its Message-ID is the marker recorded before the send: a resend after a crash carries the same.
    const marker = progress.rows.get(RECORD_PART_KEY)?.name;
    expect(outerMessageId(raw)).toBe(`<${marker}@mailissa.example>`);
    expect(opened).toEqual(['message']);

    // Done is done: the job run again sends nothing more.
    await emailConnector.transferMail(
      context(),
      settings(),
      mailOf('Liefertermine für KW 49', 'Hallo', [part('message', 'message.eml', original)]),
      progress,
    );
    expect(await catcher.list()).toHaveLength(1);
  });

  it('sends again with the same Message-ID when the worker died after the send', async () => {
    const progress = memoryProgress();
    progress.crashOnDone(RECORD_PART_KEY);
    const mail = () => mailOf('Crash', 'x', [part('message', 'message.eml', original)]);
    await expect(emailConnector.transferMail(context(), settings(), mail(), progress)).rejects.toThrow(
      /worker died/,
    );
    await emailConnector.transferMail(context(), settings(), mail(), progress);
    const sent = await catcher.list();
    expect(sent).toHaveLength(2);
    const ids = await Promise.all(
      sent.map(async (summary) => outerMessageId((await catcher.source(summary.id)) ?? Buffer.alloc(0))),
    );
    expect(ids[0]).toMatch(/^<mailissa-[0-9a-f-]+@mailissa\.example>$/);
    expect(ids[0]).toBe(ids[1]);
  });

  it('a relay that refuses or is away: permanent and transient failures', async () => {
    const refusing = createMailSender({ smtpUrl: 'smtp://127.0.0.1:9', from: 'no-reply@mailissa.example' });
    const error = await emailConnector
      .transferMail(
        { ...restContext(), mailer: connectorMailer(refusing, 'no-reply@mailissa.example') },
        settings(),
        mailOf('x', 'x', [part('message', 'message.eml', original)]),
        memoryProgress(),
      )
      .catch((caught: unknown) => caught);
    refusing.close();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 503, code: 'target_unavailable' });

    const unconfigured = createMailSender({ smtpUrl: null, from: 'no-reply@mailissa.example' });
    await expect(
      emailConnector.transferMail(
        { ...restContext(), mailer: connectorMailer(unconfigured, 'no-reply@mailissa.example') },
        settings(),
        mailOf('x', 'x', [part('message', 'message.eml', original)]),
        memoryProgress(),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'target_misconfigured' });
  });
});
