import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchCaughtMail, hiddenField, waitForCaughtMail } from '../demo/emulators.js';
import { queuedJobCount } from '../test-support/job-queue-state.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { deleteExpiredContactData } from './delete-expired-contact-data.js';
import { NOTIFY_OPERATOR_QUEUE } from './submit-contact-enquiry.js';

let server: TestServer;

async function enquiryCount(): Promise<number> {
  const result = await server.database.db.query<{ count: string }>('select count(*) from contact_enquiries');
  return Number(result.rows[0]?.count);
}

async function freshFormToken(lang: 'en' | 'de' = 'en'): Promise<string> {
  const page = await (await fetch(`${server.baseUrl}/contact?lang=${lang}`)).text();
  return hiddenField(page, 'form_token');
}

async function postContact(fields: Record<string, string>, options: { contentType?: string } = {}) {
  const body = new URLSearchParams({ lang: 'en', form_token: await freshFormToken(), ...fields });
  return fetch(`${server.baseUrl}/contact`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' },
    body: options.contentType === 'application/json' ? JSON.stringify(Object.fromEntries(body)) : body,
    redirect: 'manual',
  });
}

const valid = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  company: 'Analytical Engines Ltd',
  message: 'Hello, we would like a demo.',
};

beforeAll(async () => {
  server = await startTestServer({
    env: { CONTACT_MIN_SUBMIT_SECONDS: '0', CONTACT_EMAIL: 'inbox@operator.example' },
  });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.app.appContext.now = () => new Date();
  await server.database.db.query('delete from contact_enquiries');
  await server.database.db.query('delete from form_rate_limits');
  await fetch(`${server.baseUrl}/emulator/mail/api/messages`, { method: 'DELETE' });
});

describe('contact form', () => {
  it('shows the form in English and German, working without JavaScript', async () => {
    const en = await fetch(`${server.baseUrl}/contact?lang=en`);
    expect(en.status).toBe(200);
    const page = await en.text();
    expect(page).toContain('<form class="form" method="post"');
    expect(page).toContain('name="website"');
    expect(page).not.toContain('<script');
    const de = await (await fetch(`${server.baseUrl}/contact?lang=de`)).text();
    expect(de).toContain('Anfrage senden');
  });

  it('stores a valid enquiry and mails it to the operator by SMTP, escaped', async () => {
    const response = await postContact({ ...valid, message: 'Hi <script>alert(1)</script> & bye' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/contact/sent');
    expect(await enquiryCount()).toBe(1);

    const mail = await waitForCaughtMail(server.baseUrl, 'inbox@operator.example');
    expect(mail.subject).toContain('Ada Lovelace');
    expect(mail.text).toContain('Hi <script>alert(1)</script> & bye');
    expect(mail.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; bye');
    expect(mail.html).not.toContain('<script>');
    expect(mail.headers.find((header) => header.name === 'reply-to')?.value).toContain('ada@example.com');

    const stored = await server.database.db.query<{ operator_notified_at: Date | null }>(
      'select operator_notified_at from contact_enquiries',
    );
    expect(stored.rows[0]?.operator_notified_at).not.toBeNull();
  });

  it('re-renders the form with values and an error beside each bad field, storing nothing', async () => {
    const response = await postContact({
      name: 'x'.repeat(201),
      email: 'not-an-address',
      company: '',
      message: '',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Please keep your name to 200 characters.');
    expect(page).toContain('Please enter a valid e-mail address');
    expect(page).toContain('Please write your message.');
    expect(page).toContain('value="not-an-address"');
    expect(page).toContain('aria-invalid="true"');
    expect(await enquiryCount()).toBe(0);
  });

  it('refuses an over-long message beside the field, and an oversized body outright', async () => {
    const long = await postContact({ ...valid, message: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('Please keep your message to 5000 characters.');
    const huge = await postContact({ ...valid, message: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(await enquiryCount()).toBe(0);
  });

  it('answers in German when the form was German', async () => {
    const body = new URLSearchParams({
      lang: 'de',
      form_token: await freshFormToken('de'),
      ...valid,
      email: 'kaputt',
    });
    const response = await fetch(`${server.baseUrl}/contact?lang=de`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Bitte geben Sie eine gültige E-Mail-Adresse ein');
  });

  it('keeps HTML typed into the form as text when re-rendering', async () => {
    const response = await postContact({ ...valid, email: 'bad', message: '<img src=x onerror=alert(1)>' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
  });

  it('refuses a body that is not form data', async () => {
    const response = await postContact(valid, { contentType: 'application/json' });
    expect(response.status).toBe(415);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('unsupported_media_type');
    expect(await enquiryCount()).toBe(0);
  });

  it('refuses a forged or missing form token', async () => {
    for (const token of ['', 'MTIz.forged', 'abc']) {
      const response = await fetch(`${server.baseUrl}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...valid, form_token: token }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('We could not verify this form');
    }
    expect(await enquiryCount()).toBe(0);
  });

  it('treats a filled honeypot as a bot: thanks, but nothing stored or sent', async () => {
    const jobsBefore = await queuedJobCount(server.database.db, NOTIFY_OPERATOR_QUEUE);
    const response = await postContact({ ...valid, website: 'http://spam.example' });
    expect(response.status).toBe(303);
    expect(await enquiryCount()).toBe(0);
    // The notification is queued in the enquiry's transaction: no job, no mail, ever.
    expect(await queuedJobCount(server.database.db, NOTIFY_OPERATOR_QUEUE)).toBe(jobsBefore);
    expect(await fetchCaughtMail(server.baseUrl)).toHaveLength(0);
  });

  it('refuses a form sent back faster than a person could fill it in, or much later', async () => {
    const token = await freshFormToken();
    server.app.appContext.now = () => new Date(Date.now() - 60_000);
    const early = await fetch(`${server.baseUrl}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...valid, form_token: token }),
    });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('That was very quick');

    server.app.appContext.now = () => new Date(Date.now() + 25 * 3600_000);
    const late = await fetch(`${server.baseUrl}/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...valid, form_token: token }),
    });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('open for too long');
    expect(await enquiryCount()).toBe(0);
  });

  it('limits how many enquiries one connection can send per hour', async () => {
    for (let index = 0; index < 5; index += 1) {
      expect((await postContact(valid)).status).toBe(303);
    }
    const limited = await postContact(valid);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('try again in');
    expect(await enquiryCount()).toBe(5);
    const hashes = await server.database.db.query<{ source_hash: string }>(
      'select source_hash from form_rate_limits',
    );
    expect(hashes.rows.map((row) => row.source_hash).join()).not.toContain('127.0.0.1');
  });
});

describe('contact retention', () => {
  it('deletes an enquiry the configured days after it was closed, never an open one', async () => {
    await postContact(valid);
    await postContact({ ...valid, email: 'grace@example.com' });
    const rows = await server.database.db.query<{ id: string; email: string }>(
      'select id, email from contact_enquiries',
    );
    const ada = rows.rows.find((row) => row.email === 'ada@example.com');
    const closedAt = new Date('2026-01-01T00:00:00Z');
    await server.database.db.query(
      `update contact_enquiries set status = 'closed', closed_at = $2 where id = $1`,
      [ada?.id, closedAt],
    );
    const retentionDays = server.config.contact.retentionDays;
    expect(retentionDays).toBe(180);

    const dayBefore = new Date(closedAt.getTime() + (retentionDays - 1) * 86_400_000);
    expect(
      (await deleteExpiredContactData(server.database.db, { now: dayBefore, retentionDays })).enquiries,
    ).toBe(0);
    const dayAfter = new Date(closedAt.getTime() + (retentionDays + 1) * 86_400_000);
    expect(
      (await deleteExpiredContactData(server.database.db, { now: dayAfter, retentionDays })).enquiries,
    ).toBe(1);
    const left = await server.database.db.query<{ email: string }>('select email from contact_enquiries');
    expect(left.rows.map((row) => row.email)).toEqual(['grace@example.com']);
  });

  it('runs on a schedule in the job queue, on the server clock', async () => {
    const schedules = await server.database.db.query<{ name: string; cron: string }>(
      `select name, cron from pgboss.schedule where name = 'contact.retention'`,
    );
    expect(schedules.rows).toEqual([{ name: 'contact.retention', cron: '7 * * * *' }]);

    await postContact(valid);
    const closedAt = new Date();
    await server.database.db.query(`update contact_enquiries set status = 'closed', closed_at = $1`, [
      closedAt,
    ]);
    // The job as the schedule sends it, run by the server's worker with the server's clock moved on.
    server.app.appContext.now = () => new Date(closedAt.getTime() + 181 * 86_400_000);
    await server.app.appContext.jobs.send('contact.retention', {});
    await expect.poll(enquiryCount, { timeout: 10_000 }).toBe(0);
  });
});
