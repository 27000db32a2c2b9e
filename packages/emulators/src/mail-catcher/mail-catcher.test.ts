import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { type MailCatcher, startMailCatcher } from './mail-catcher.js';
import { renderMailList, renderMailMessage } from './mail-catcher.page.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailissa-catcher-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function catcherIn(dir: string): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ directory: dir, port: 0 });
  cleanups.push(() => catcher.close());
  return catcher;
}

/** Speaks SMTP by hand, so the test proves a real conversation over a socket takes place. */
async function smtpConversation(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let transcript = '';
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      transcript += chunk;
      if (!chunk.endsWith('\r\n') || /^\d{3}-/m.test(chunk.split('\r\n').at(-2) ?? '')) return;
      const line = lines[next];
      next += 1;
      if (line === undefined) {
        socket.end();
        return;
      }
      socket.write(`${line}\r\n`);
    });
    socket.on('end', () => resolve(transcript));
    socket.on('error', reject);
  });
}

describe('mail catcher', () => {
  it('receives mail over a real SMTP conversation and keeps it across a restart', async () => {
    const dir = await tempDir();
    const catcher = await catcherIn(dir);
    const transcript = await smtpConversation(catcher.port, [
      'EHLO test.example',
      'MAIL FROM:<robot@test.example>',
      'RCPT TO:<someone@example.com>',
      'DATA',
      'From: Robot <robot@test.example>\r\nTo: someone@example.com\r\nSubject: Hand-made <b>mail</b>\r\n\r\nLine one\r\n.',
      'QUIT',
    ]);
    expect(transcript).toMatch(/^220 /);
    expect(transcript).toContain('250 Kept as');

    const [summary] = await catcher.list();
    expect(summary).toMatchObject({
      envelopeFrom: 'robot@test.example',
      envelopeTo: ['someone@example.com'],
      subject: 'Hand-made <b>mail</b>',
    });
    await catcher.close();

    const restarted = await catcherIn(dir);
    const [again] = await restarted.list();
    expect(again?.id).toBe(summary?.id);
    const message = await restarted.get(summary?.id ?? '');
    expect(message?.text?.trim()).toBe('Line one');
    expect((await restarted.source(summary?.id ?? ''))?.toString()).toContain(
      'Subject: Hand-made <b>mail</b>',
    );

    // Shown escaped: a subject is text, never markup.
    expect(renderMailList(await restarted.list()).value).toContain('Hand-made &lt;b&gt;mail&lt;/b&gt;');
    if (message) expect(renderMailMessage(message).value).not.toContain('<b>mail</b>');
  });

  it('catches what an SMTP client library sends, with headers, and ignores ids that are paths', async () => {
    const catcher = await catcherIn(await tempDir());
    const transport = nodemailer.createTransport(`smtp://demo:secret@127.0.0.1:${catcher.port}`);
    cleanups.push(async () => transport.close());
    await transport.sendMail({
      from: 'Mailissa <no-reply@mailissa.localhost>',
      to: 'reader@example.com',
      subject: 'Hello',
      text: 'Plain',
      html: '<p>Rich</p>',
      headers: { 'List-Unsubscribe': '<https://example.com/u>' },
    });
    const [summary] = await catcher.list();
    const message = await catcher.get(summary?.id ?? '');
    expect(message?.html).toContain('<p>Rich</p>');
    expect(message?.headers).toContainEqual({ name: 'list-unsubscribe', value: '<https://example.com/u>' });
    expect(await catcher.get('../../etc/passwd')).toBeNull();
    expect(await catcher.source('../secret')).toBeNull();
  });
});
