import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type MailCatcher, startMailCatcher } from '../demo/emulators.js';
import { createMailSender } from './create-mail-sender.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function catcher(): Promise<MailCatcher> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailissa-sender-'));
  const started = await startMailCatcher({ directory: dir, port: 0 });
  cleanups.push(async () => {
    await started.close();
    await rm(dir, { recursive: true, force: true });
  });
  return started;
}

describe('mail sender', () => {
  it('sends over a real SMTP connection, with the alternative HTML part and extra headers', async () => {
    const smtp = await catcher();
    const sender = createMailSender({
      smtpUrl: `smtp://demo:secret@127.0.0.1:${smtp.port}`,
      from: 'Mailissa <no-reply@mailissa.localhost>',
    });
    cleanups.push(async () => sender.close());
    const sent = await sender.send({
      to: 'reader@example.com',
      subject: 'Hello',
      text: 'Plain',
      html: '<p>Rich</p>',
      replyTo: 'answers@example.com',
      headers: { 'List-Unsubscribe': '<https://example.com/u>' },
    });
    expect(sent.messageId).toMatch(/@/);
    const [summary] = await smtp.list();
    const message = await smtp.get(summary?.id ?? '');
    expect(message).toMatchObject({ subject: 'Hello', envelopeTo: ['reader@example.com'] });
    expect(message?.text?.trim()).toBe('Plain');
    expect(message?.html).toContain('<p>Rich</p>');
    expect(message?.headers).toContainEqual({ name: 'reply-to', value: 'answers@example.com' });
    expect(message?.headers).toContainEqual({ name: 'list-unsubscribe', value: '<https://example.com/u>' });
  });

  it('fails every send with 503 mail_not_configured when no SMTP server is configured', async () => {
    const sender = createMailSender({ smtpUrl: null, from: 'x@example.com' });
    await expect(sender.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toMatchObject({
      status: 503,
      code: 'mail_not_configured',
    });
  });
});
