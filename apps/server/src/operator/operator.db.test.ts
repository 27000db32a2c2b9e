import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField, waitForCaughtMail } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

let server: TestServer;
let cookie: string;

function operatorFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    ...init,
    headers: {
      cookie,
      'x-requested-with': 'mailissa',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
}

async function submitForm(path: string, fields: Record<string, string>): Promise<Response> {
  const page = await (await fetch(`${server.baseUrl}${path}?lang=en`)).text();
  const extra: Record<string, string> = { form_token: hiddenField(page, 'form_token') };
  if (path === '/newsletter') extra.consent_version = hiddenField(page, 'consent_version');
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'en', ...extra, ...fields }),
    redirect: 'manual',
  });
}

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    new Date(),
  );
  cookie = `mailissa_operator=${session.token}`;
});
afterAll(async () => {
  await server?.close();
});

describe('operator API', () => {
  it('documents its routes in the OpenAPI document', async () => {
    const response = await fetch(`${server.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/operator/api/enquiries',
      '/operator/api/enquiries/{id}/close',
      '/operator/api/newsletter/campaigns',
      '/operator/api/record-of-processing.csv',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    // The emulators document themselves (/emulator/openapi.json when run alone), not in the product's API.
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/emulator/'))).toEqual([]);
  });

  it('admits only an operator session', async () => {
    const anonymous = await fetch(`${server.baseUrl}/operator/api/enquiries`);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${server.baseUrl}/operator/api/enquiries`, {
      headers: { cookie: 'mailissa_operator=forged' },
    });
    expect(forged.status).toBe(401);
    const withoutHeader = await fetch(`${server.baseUrl}/operator/api/newsletter/campaigns`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'x', bodyText: 'y' }),
    });
    expect(withoutHeader.status).toBe(403);
  });

  it('lists enquiries as data (markup stays text) and closes them with a deletion date', async () => {
    expect(
      (
        await submitForm('/contact', {
          name: 'Eve <img src=x>',
          email: 'eve@example.com',
          message: '<script>alert(1)</script>',
        })
      ).status,
    ).toBe(303);
    const list = await operatorFetch('/operator/api/enquiries');
    expect(list.status).toBe(200);
    const body = (await list.json()) as {
      enquiries: { id: string; name: string; message: string; status: string }[];
      retentionDays: number;
    };
    expect(body.retentionDays).toBe(180);
    const [enquiry] = body.enquiries;
    expect(enquiry).toMatchObject({
      name: 'Eve <img src=x>',
      message: '<script>alert(1)</script>',
      status: 'open',
    });

    const closed = await operatorFetch(`/operator/api/enquiries/${enquiry?.id}/close`, { method: 'POST' });
    expect(closed.status).toBe(200);
    const closedBody = (await closed.json()) as { status: string; closedAt: string; deleteAfter: string };
    expect(closedBody.status).toBe('closed');
    expect(Date.parse(closedBody.deleteAfter) - Date.parse(closedBody.closedAt)).toBe(180 * 86_400_000);
    expect(
      ((await (await operatorFetch('/operator/api/enquiries')).json()) as { enquiries: unknown[] }).enquiries,
    ).toHaveLength(0);

    const missing = await operatorFetch(
      '/operator/api/enquiries/00000000-0000-4000-8000-000000000000/close',
      {
        method: 'POST',
      },
    );
    expect(missing.status).toBe(404);
    const malformed = await operatorFetch('/operator/api/enquiries/not-a-uuid/close', { method: 'POST' });
    expect(malformed.status).toBe(400);

    const erased = await operatorFetch(`/operator/api/enquiries/${enquiry?.id}`, { method: 'DELETE' });
    expect(await erased.json()).toEqual({ outcome: 'deleted' });
    const count = await server.database.db.query<{ count: string }>('select count(*) from contact_enquiries');
    expect(Number(count.rows[0]?.count)).toBe(0);
    const again = await operatorFetch(`/operator/api/enquiries/${enquiry?.id}`, { method: 'DELETE' });
    expect(await again.json()).toEqual({ outcome: 'not_found' });
  });

  it('shows subscribers with proof, sends a campaign through the queue, and validates it', async () => {
    await submitForm('/newsletter', { email: 'fan@example.com' });
    const confirmMail = await waitForCaughtMail(server.baseUrl, 'fan@example.com');
    const token =
      new URL(/(http:\S+)/.exec(confirmMail.text ?? '')?.[1] ?? '').searchParams.get('token') ?? '';
    await fetch(`${server.baseUrl}/newsletter/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });

    const subscribers = (await (await operatorFetch('/operator/api/newsletter/subscribers')).json()) as {
      subscribers: { email: string; status: string; consent: { version: string; signUpNetwork: string } }[];
      statistics: { confirmed: number };
      wordings: Record<string, { en: string }>;
    };
    expect(subscribers.subscribers[0]).toMatchObject({ email: 'fan@example.com', status: 'confirmed' });
    expect(subscribers.subscribers[0]?.consent.signUpNetwork).toBe('127.0.0.0/24');
    expect(subscribers.wordings[subscribers.subscribers[0]?.consent.version ?? '']?.en).toContain(
      'newsletter',
    );
    expect(subscribers.statistics.confirmed).toBe(1);

    const invalid = await operatorFetch('/operator/api/newsletter/campaigns', {
      method: 'POST',
      body: JSON.stringify({ subject: 'two\nlines', bodyText: '' }),
    });
    expect(invalid.status).toBe(400);

    const created = await operatorFetch('/operator/api/newsletter/campaigns', {
      method: 'POST',
      body: JSON.stringify({ subject: 'December news', bodyText: 'Hello!' }),
    });
    expect(created.status).toBe(202);
    expect(((await created.json()) as { recipients: number }).recipients).toBe(1);
    const mail = await waitForCaughtMail(server.baseUrl, 'fan@example.com', {
      match: (candidate) => candidate.subject === 'December news',
    });
    expect(mail.headers.some((header) => header.name === 'list-unsubscribe')).toBe(true);
  });

  it('serves consent statistics, the security view and the Art. 30 record as JSON and CSV', async () => {
    const consent = await operatorFetch('/operator/api/consent-statistics?days=7');
    expect(consent.status).toBe(200);
    expect(((await consent.json()) as { revisions: unknown[] }).revisions).toBeInstanceOf(Array);

    const security = await operatorFetch('/operator/api/security?hours=24');
    expect(security.status).toBe(200);
    const view = (await security.json()) as { topSources: { ipTruncated: string }[]; blocks: unknown[] };
    expect(view.blocks).toBeInstanceOf(Array);
    for (const source of view.topSources) expect(source.ipTruncated).not.toMatch(/^\d+\.\d+\.\d+\.[1-9]\d*$/);

    const record = await operatorFetch('/operator/api/record-of-processing?download=1');
    expect(record.status).toBe(200);
    expect(record.headers.get('content-disposition')).toContain('record-of-processing.json');
    const json = (await record.json()) as { activities: { dataCategories: { table: string }[] }[] };
    const tables = json.activities.flatMap((activity) =>
      activity.dataCategories.map((category) => category.table),
    );
    expect(tables).toContain('contact_enquiries');
    expect(tables).toContain('newsletter_subscribers');

    const csv = await operatorFetch('/operator/api/record-of-processing.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain('"newsletter_subscribers","email"');
  });
});
