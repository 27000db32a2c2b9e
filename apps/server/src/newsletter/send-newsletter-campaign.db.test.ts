import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailCatcher, startMailCatcher } from '../demo/emulators.js';
import { createMailSender } from '../mail/create-mail-sender.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { createFormSigner } from '../website/forms/form-signing.js';
import { createNewsletterTokens } from './newsletter-tokens.js';
import { sendNewsletterCampaign } from './send-newsletter-campaign.js';

let database: TestDatabase;
let catcher: MailCatcher;
let sender: MailSender;
let dir: string;
const tokens = createNewsletterTokens(createFormSigner('x'.repeat(32)));

async function addConfirmed(email: string, confirmedAt: Date): Promise<void> {
  await database.db.query(
    `insert into newsletter_subscribers (email, status, consent_version, consent_language, signed_up_at,
       signup_ip_truncated, confirmed_at, confirm_ip_truncated)
     values ($1, 'confirmed', '2026-11-29', 'en', $2, '192.0.2.0/24', $2, '192.0.2.0/24')`,
    [email, confirmedAt],
  );
}

async function addCampaign(createdAt: Date): Promise<string> {
  const result = await database.db.query<{ id: string }>(
    `insert into newsletter_campaigns (subject, body_text, created_at, recipients) values ('News', 'Text', $1, 0)
     returning id`,
    [createdAt],
  );
  return result.rows[0]?.id ?? '';
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'mailissa-campaign-'));
  catcher = await startMailCatcher({ directory: dir, port: 0 });
  sender = createMailSender({ smtpUrl: catcher.smtpUrl, from: 'news@mailissa.localhost' });
});
afterAll(async () => {
  sender?.close();
  await catcher?.close();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('sending a campaign', () => {
  it('resumes after a crash without mailing anyone twice, and skips later or unsubscribed addresses', async () => {
    const before = new Date('2026-11-01T00:00:00Z');
    for (const name of ['a', 'b', 'c', 'd']) await addConfirmed(`${name}@example.com`, before);
    const campaignId = await addCampaign(new Date('2026-11-02T00:00:00Z'));
    await addConfirmed('late@example.com', new Date('2026-11-03T00:00:00Z'));

    // The SMTP relay fails after two mails, as if the process died mid-way.
    let calls = 0;
    const flaky: MailSender = {
      async send(mail) {
        calls += 1;
        if (calls > 2) throw new Error('connection lost');
        return sender.send(mail);
      },
      close() {},
    };
    const deps = { db: database.db, tokens, publicBaseUrl: 'http://localhost', now: () => new Date() };
    await expect(sendNewsletterCampaign({ ...deps, mail: flaky }, campaignId)).rejects.toThrow(
      'connection lost',
    );
    expect((await catcher.list()).length).toBe(2);

    // Someone not yet reached unsubscribes meanwhile; the retried job goes on after the cursor.
    const firstTwo = (await catcher.list()).flatMap((mail) => mail.envelopeTo);
    const remaining = ['a', 'b', 'c', 'd']
      .map((name) => `${name}@example.com`)
      .filter((e) => !firstTwo.includes(e));
    await database.db.query('delete from newsletter_subscribers where email = $1', [remaining[0]]);
    const result = await sendNewsletterCampaign({ ...deps, mail: sender }, campaignId);
    expect(result.sent).toBe(1);

    const recipients = (await catcher.list()).flatMap((mail) => mail.envelopeTo).sort();
    expect(recipients).toEqual([...firstTwo, remaining[1]].sort());
    expect(new Set(recipients).size).toBe(3);
    const campaign = await database.db.query<{ state: string; sent_count: number }>(
      'select state, sent_count from newsletter_campaigns where id = $1',
      [campaignId],
    );
    expect(campaign.rows[0]).toEqual({ state: 'sent', sent_count: 3 });

    // A job delivered again after it finished sends nothing.
    expect((await sendNewsletterCampaign({ ...deps, mail: sender }, campaignId)).sent).toBe(0);
  });
});
