import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaughtMail, fetchCaughtMail, hiddenField, waitForCaughtMail } from '../demo/emulators.js';
import { queuedJobCount } from '../test-support/job-queue-state.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { CURRENT_CONSENT_VERSION } from './consent-wording.js';
import { createNewsletterCampaign } from './create-newsletter-campaign.js';
import { deleteExpiredNewsletterSignups } from './delete-expired-newsletter-signups.js';
import { SEND_CONFIRMATION_QUEUE } from './sign-up-for-newsletter.js';

let server: TestServer;
const DAY = 86_400_000;

interface SubscriberRow {
  id: string;
  email: string;
  status: string;
  consent_version: string;
  consent_language: string;
  signup_ip_truncated: string;
  confirmed_at: Date | null;
  confirm_ip_truncated: string | null;
}

async function subscribers(): Promise<SubscriberRow[]> {
  const result = await server.database.db.query<SubscriberRow>(
    `select id, email, status, consent_version, consent_language, signup_ip_truncated, confirmed_at,
            confirm_ip_truncated
       from newsletter_subscribers order by email`,
  );
  return result.rows;
}

function form(fields: Record<string, string>) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual' as const,
  };
}

async function signUp(email: string, lang: 'en' | 'de' = 'en'): Promise<Response> {
  const page = await (await fetch(`${server.baseUrl}/newsletter?lang=${lang}`)).text();
  return fetch(
    `${server.baseUrl}/newsletter`,
    form({
      lang,
      email,
      form_token: hiddenField(page, 'form_token'),
      consent_version: hiddenField(page, 'consent_version'),
    }),
  );
}

function linkIn(mail: CaughtMail, path: string): string {
  const match = new RegExp(`(http://\\S+${path}\\?\\S+)`).exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no ${path} link in the mail`);
  return match[1];
}

async function confirmationMailsTo(email: string): Promise<CaughtMail[]> {
  return (await fetchCaughtMail(server.baseUrl, email)).filter(
    (mail) => mail.subject.includes('onfirm') || mail.subject.includes('bestätigen'),
  );
}

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.app.appContext.now = () => new Date();
  await server.database.db.query('delete from newsletter_subscribers');
  await server.database.db.query('delete from newsletter_campaigns');
  await server.database.db.query('delete from form_rate_limits');
  await fetch(`${server.baseUrl}/emulator/mail/api/messages`, { method: 'DELETE' });
});

describe('newsletter double opt-in', () => {
  it('shows the sign-up form with the current consent wording in English and German', async () => {
    const en = await (await fetch(`${server.baseUrl}/newsletter?lang=en`)).text();
    expect(en).toContain(`name="consent_version" value="${CURRENT_CONSENT_VERSION}"`);
    expect(en).toContain('Yes, please send me the Mailissa newsletter');
    const de = await (await fetch(`${server.baseUrl}/newsletter?lang=de`)).text();
    expect(de).toContain('Ja, bitte senden Sie mir den Mailissa-Newsletter');
  });

  it('stores a pending sign-up with its proof and mails a link whose GET confirms nothing', async () => {
    const response = await signUp('Reader@Example.com', 'de');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/newsletter/check-inbox');
    const [row] = await subscribers();
    expect(row).toMatchObject({
      email: 'reader@example.com',
      status: 'pending',
      consent_version: CURRENT_CONSENT_VERSION,
      consent_language: 'de',
      signup_ip_truncated: '127.0.0.0/24',
      confirmed_at: null,
    });

    const mail = await waitForCaughtMail(server.baseUrl, 'reader@example.com');
    expect(mail.subject).toContain('bestätigen');
    const link = linkIn(mail, '/newsletter/confirm');
    for (let visit = 0; visit < 3; visit += 1) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('strict-origin');
      expect(await page.text()).toContain('Anmeldung bestätigen');
    }
    expect((await subscribers())[0]?.status).toBe('pending');

    const pageText = await (await fetch(link)).text();
    const confirm = await fetch(
      `${server.baseUrl}/newsletter/confirm`,
      form({ token: hiddenField(pageText, 'token'), lang: 'de' }),
    );
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Ihre Adresse ist bestätigt');
    const [confirmed] = await subscribers();
    expect(confirmed?.status).toBe('confirmed');
    expect(confirmed?.confirm_ip_truncated).toBe('127.0.0.0/24');

    // The token is spent: using it again changes nothing and says so.
    const again = await fetch(
      `${server.baseUrl}/newsletter/confirm`,
      form({ token: hiddenField(pageText, 'token'), lang: 'en' }),
    );
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already confirmed');
    expect((await subscribers())[0]?.confirmed_at).toEqual(confirmed?.confirmed_at);
  });

  it('makes signing up twice harmless: one record, and no mail once confirmed', async () => {
    await signUp('twice@example.com');
    await signUp('twice@example.com');
    expect(await subscribers()).toHaveLength(1);
    await waitForCaughtMail(server.baseUrl, 'twice@example.com', {
      match: () => true,
      timeoutMs: 15_000,
    });
    await expect.poll(async () => (await confirmationMailsTo('twice@example.com')).length).toBe(2);
    const mails = await confirmationMailsTo('twice@example.com');
    const confirmationJobs = await queuedJobCount(server.database.db, SEND_CONFIRMATION_QUEUE);

    const link = linkIn(mails[0] as CaughtMail, '/newsletter/confirm');
    const token = new URL(link).searchParams.get('token') ?? '';
    expect((await fetch(`${server.baseUrl}/newsletter/confirm`, form({ token }))).status).toBe(200);
    expect((await subscribers())[0]?.status).toBe('confirmed');

    const third = await signUp('twice@example.com');
    expect(third.status).toBe(303);
    const page = await (await fetch(`${server.baseUrl}/newsletter/check-inbox?lang=en`)).text();
    expect(page).toContain('Signing up more than once is harmless');
    // Confirmation mails are queued in the sign-up's transaction: no new job means no new mail.
    expect(await queuedJobCount(server.database.db, SEND_CONFIRMATION_QUEUE)).toBe(confirmationJobs);
    expect(await confirmationMailsTo('twice@example.com')).toHaveLength(2);
    expect((await subscribers())[0]?.status).toBe('confirmed');
  });

  it('refuses a forged, foreign or expired confirmation token and changes nothing', async () => {
    await signUp('late@example.com');
    const mail = await waitForCaughtMail(server.baseUrl, 'late@example.com');
    const token = new URL(linkIn(mail, '/newsletter/confirm')).searchParams.get('token') ?? '';
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ s: (await subscribers())[0]?.id, e: 9_999_999_999 })).toString('base64url')}.${signature}`;

    for (const bad of [forged, `${payload}.${'A'.repeat(43)}`, 'nonsense', '']) {
      const get = await fetch(`${server.baseUrl}/newsletter/confirm?token=${encodeURIComponent(bad)}`);
      expect(get.status).toBe(400);
      expect(await get.text()).toContain('This link does not work');
      const post = await fetch(`${server.baseUrl}/newsletter/confirm`, form({ token: bad }));
      expect(post.status).toBe(400);
    }
    // A confirmation token is no unsubscribe token.
    const crossed = await fetch(
      `${server.baseUrl}/newsletter/unsubscribe?token=${encodeURIComponent(token)}`,
      form({}),
    );
    expect(crossed.status).toBe(400);

    server.app.appContext.now = () => new Date(Date.now() + 8 * DAY);
    const expired = await fetch(`${server.baseUrl}/newsletter/confirm`, form({ token }));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This link has expired');
    expect((await subscribers())[0]?.status).toBe('pending');
  });

  it('refuses an invalid address, an unknown consent wording and a non-form body, storing nothing', async () => {
    const page = await (await fetch(`${server.baseUrl}/newsletter?lang=en`)).text();
    const token = hiddenField(page, 'form_token');
    const bad = await fetch(
      `${server.baseUrl}/newsletter`,
      form({ email: 'no-at-sign', form_token: token, consent_version: CURRENT_CONSENT_VERSION, lang: 'en' }),
    );
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('Please enter a valid e-mail address');
    expect(badPage).toContain('value="no-at-sign"');

    const tooLong = await fetch(
      `${server.baseUrl}/newsletter`,
      form({
        email: `${'a'.repeat(320)}@example.com`,
        form_token: token,
        consent_version: CURRENT_CONSENT_VERSION,
      }),
    );
    expect(tooLong.status).toBe(400);

    const wording = await fetch(
      `${server.baseUrl}/newsletter`,
      form({ email: 'ok@example.com', form_token: token, consent_version: '1999-01-01' }),
    );
    expect(wording.status).toBe(400);
    expect(await wording.text()).toContain('consent text on this form has changed');

    const json = await fetch(`${server.baseUrl}/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'ok@example.com',
        form_token: token,
        consent_version: CURRENT_CONSENT_VERSION,
      }),
    });
    expect(json.status).toBe(415);
    expect(await subscribers()).toHaveLength(0);
  });

  it('keeps only the address and the proof of consent', async () => {
    const columns = await server.database.db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'newsletter_subscribers' order by column_name`,
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual([
      'confirm_ip_truncated',
      'confirmed_at',
      'consent_language',
      'consent_version',
      'email',
      'id',
      'signed_up_at',
      'signup_ip_truncated',
      'status',
    ]);
  });
});

describe('newsletter campaigns and unsubscribing', () => {
  async function confirmedSubscriber(email: string): Promise<void> {
    await signUp(email);
    const mail = await waitForCaughtMail(server.baseUrl, email);
    const token = new URL(linkIn(mail, '/newsletter/confirm')).searchParams.get('token') ?? '';
    expect((await fetch(`${server.baseUrl}/newsletter/confirm`, form({ token }))).status).toBe(200);
  }

  it('sends a campaign with RFC 8058 headers; one-click POST unsubscribes at once, twice is harmless', async () => {
    await confirmedSubscriber('one@example.com');
    await confirmedSubscriber('two@example.com');
    await signUp('pending@example.com');
    await waitForCaughtMail(server.baseUrl, 'pending@example.com');

    const campaign = await createNewsletterCampaign(
      { db: server.database.db, jobs: server.app.appContext.jobs },
      { subject: 'Mailissa news <b>1</b>', bodyText: 'Hello <script>x</script> readers' },
      new Date(),
    );
    expect(campaign.recipients).toBe(2);
    const isCampaign = (mail: CaughtMail) => mail.subject === 'Mailissa news <b>1</b>';
    const mail = await waitForCaughtMail(server.baseUrl, 'one@example.com', { match: isCampaign });
    await waitForCaughtMail(server.baseUrl, 'two@example.com', { match: isCampaign });
    expect((await fetchCaughtMail(server.baseUrl, 'pending@example.com')).filter(isCampaign)).toHaveLength(0);
    expect(mail.text).toContain('Hello <script>x</script> readers');
    expect(mail.html).toBeNull();
    const header = (name: string) => mail.headers.find((entry) => entry.name === name)?.value;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = /^<(http:\/\/[^>]+)>$/.exec(header('list-unsubscribe') ?? '')?.[1] ?? '';
    expect(listUnsubscribe).toContain('/newsletter/unsubscribe?token=');
    expect(mail.text).toContain(listUnsubscribe);

    // Opening the link only offers the button.
    const pageResponse = await fetch(listUnsubscribe);
    expect(pageResponse.status).toBe(200);
    expect(await pageResponse.text()).toContain('name="List-Unsubscribe" value="One-Click"');
    expect((await subscribers()).map((row) => row.email)).toContain('one@example.com');

    // What a mail client sends for one-click unsubscribing: multipart/form-data.
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const oneClick = await fetch(listUnsubscribe, { method: 'POST', body });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    expect((await subscribers()).map((row) => row.email)).toEqual(['pending@example.com', 'two@example.com']);

    const again = await fetch(listUnsubscribe, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('not (or no longer) subscribed');

    const json = await fetch(listUnsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);

    const state = await server.database.db.query<{ state: string; sent_count: number }>(
      'select state, sent_count from newsletter_campaigns where id = $1',
      [campaign.id],
    );
    expect(state.rows[0]).toEqual({ state: 'sent', sent_count: 2 });
  });
});

describe('newsletter retention', () => {
  it('deletes sign-ups not confirmed within 7 days, never confirmed ones', async () => {
    await signUp('pending@example.com');
    await signUp('kept@example.com');
    await server.database.db.query(
      `update newsletter_subscribers set status = 'confirmed', confirmed_at = now(), confirm_ip_truncated = '127.0.0.0/24'
        where email = 'kept@example.com'`,
    );
    const now = Date.now();
    expect(await deleteExpiredNewsletterSignups(server.database.db, new Date(now + 6 * DAY))).toBe(0);
    expect(await deleteExpiredNewsletterSignups(server.database.db, new Date(now + 7 * DAY + 60_000))).toBe(
      1,
    );
    expect((await subscribers()).map((row) => row.email)).toEqual(['kept@example.com']);
  });

  it('runs on a schedule in the job queue, on the server clock', async () => {
    const schedules = await server.database.db.query<{ name: string }>(
      `select name from pgboss.schedule where name = 'newsletter.retention'`,
    );
    expect(schedules.rowCount).toBe(1);

    await signUp('forgotten@example.com');
    server.app.appContext.now = () => new Date(Date.now() + 7 * DAY + 60_000);
    await server.app.appContext.jobs.send('newsletter.retention', {});
    await expect.poll(async () => (await subscribers()).length, { timeout: 10_000 }).toBe(0);
  });
});
