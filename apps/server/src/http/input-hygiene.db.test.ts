import {
  categoryBodySchema,
  createTargetBodySchema,
  createTransferBodySchema,
  newCampaignSchema,
  safeText,
  transfersOfMessageQuerySchema,
} from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

let server: TestServer;
let operatorCookie: string;

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    new Date(),
  );
  operatorCookie = `mailissa_operator=${session.token}`;
});
afterAll(async () => {
  await server.close();
});

async function answer(response: Response): Promise<{ status: number; code?: string; message?: string }> {
  const text = await response.text();
  if (!text.startsWith('{')) return { status: response.status };
  const error = (JSON.parse(text) as { error?: { code: string; message: string } }).error;
  return { status: response.status, ...(error ? { code: error.code, message: error.message } : {}) };
}

function operatorPost(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie: operatorCookie, 'x-requested-with': 'mailissa', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function count(table: string): Promise<number> {
  const result = await server.database.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return result.rows[0]?.n ?? -1;
}

describe('schemas of the contract refuse control characters and hidden formatting', () => {
  it('refuses NUL and other C0 characters in every free-text request field', () => {
    for (const bad of ['<a\u0000b@example.com>', '<a\u0007b@example.com>', '<a\nb@example.com>']) {
      expect(transfersOfMessageQuerySchema.safeParse({ internetMessageId: bad }).success).toBe(false);
      expect(
        createTransferBodySchema.safeParse({
          messageId: 'AAMk',
          internetMessageId: bad,
          targetId: '7f0b6a47-3c55-4a3c-9a55-0a1f1c2a9e01',
        }).success,
      ).toBe(false);
    }
    expect(transfersOfMessageQuerySchema.safeParse({ internetMessageId: '<a.b@example.com>' }).success).toBe(
      true,
    );
    expect(newCampaignSchema.safeParse({ subject: 'News', bodyText: 'One\r\n\tTwo' }).success).toBe(true);
    expect(newCampaignSchema.safeParse({ subject: 'News', bodyText: 'One\u0000' }).success).toBe(false);
  });

  it('refuses bidi overrides, isolates and zero-width spaces in names and subjects, not joiners', () => {
    const name = safeText({ name: true });
    for (const bad of ['Invoice\u202Efdp.exe', 'a\u2066b\u2069', 'ad\u200Bmin', '\uFEFFx', 'a\u2060b']) {
      expect(name.safeParse(bad).success).toBe(false);
      expect(newCampaignSchema.safeParse({ subject: bad, bodyText: 'Text' }).success).toBe(false);
    }
    // Target titles and category names are names others read (the add-in's list, Outlook categories).
    for (const bad of ['Invoice\u202Efdp.exe', 'Sales\u200B', 'One\nTwo']) {
      const title = { en: bad, de: 'Vertrieb' };
      expect(
        createTargetBodySchema.safeParse({
          connectorType: 'sharepoint',
          title,
          categoryId: null,
          settings: {},
        }).success,
      ).toBe(false);
      expect(
        categoryBodySchema.safeParse({ module: 'transfer', name: title, color: 'preset0' }).success,
      ).toBe(false);
    }
    const plain = { en: 'Sales', de: 'Vertrieb' };
    expect(
      createTargetBodySchema.safeParse({
        connectorType: 'sharepoint',
        title: plain,
        categoryId: null,
        settings: {},
      }).success,
    ).toBe(true);
    expect(categoryBodySchema.safeParse({ module: 'transfer', name: plain, color: 'preset0' }).success).toBe(
      true,
    );
    // Persian needs the zero-width non-joiner; emoji sequences the joiner.
    expect(name.safeParse('می\u200Cخواهم').success).toBe(true);
    expect(name.safeParse('👩\u200D💻 Team').success).toBe(true);
    expect(name.safeParse('Müller & Söhne').success).toBe(true);
  });
});

describe('control characters over HTTP', () => {
  it('answers 400, not 500, for NUL in a query, a path parameter or a JSON body', async () => {
    const query = await answer(await fetch(`${server.baseUrl}/api/transfers?internetMessageId=%00`));
    expect(query).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(query.message).toContain('internetMessageId');
    const page = await fetch(`${server.baseUrl}/pricing?lang=%00`);
    expect(page.status).toBe(400);
    await page.text();
    const param = await answer(
      await fetch(`${server.baseUrl}/operator/api/enquiries/%00`, {
        method: 'DELETE',
        headers: { cookie: operatorCookie, 'x-requested-with': 'mailissa' },
      }),
    );
    expect(param).toMatchObject({ status: 400 });
    // The net under every query, whatever the route's schema: the hook answers before validation.
    const queried = await answer(
      await fetch(`${server.baseUrl}/operator/api/enquiries?status=a%00b`, {
        headers: { cookie: operatorCookie, 'x-requested-with': 'mailissa' },
      }),
    );
    expect(queried).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(queried.message).toBe('query.status: must not contain control characters.');
    const key = await answer(await operatorPost('/operator/api/newsletter/campaigns', { 'a\u0000': 1 }));
    expect(key).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('refuses bad operator newsletter subjects with 400 naming the field, and stores nothing', async () => {
    for (const subject of [
      'Spring\u0000news',
      'Spring\u001bnews',
      'Spring\nnews',
      'Spring \u202Enews',
      'Spr\u200Bing',
    ]) {
      const refused = await answer(
        await operatorPost('/operator/api/newsletter/campaigns', { subject, bodyText: 'Hello.' }),
      );
      expect(refused.status).toBe(400);
      expect(refused.message).toContain('subject');
    }
    const nulInBody = await answer(
      await operatorPost('/operator/api/newsletter/campaigns', { subject: 'Spring', bodyText: 'a\u0000b' }),
    );
    expect(nulInBody.status).toBe(400);
    expect(await count('newsletter_campaigns')).toBe(0);
  });

  it('refuses hidden formatting in the contact form name, which goes into the mail subject', async () => {
    const page = await (await fetch(`${server.baseUrl}/contact?lang=en`)).text();
    const send = (fields: Record<string, string>) =>
      fetch(`${server.baseUrl}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          lang: 'en',
          form_token: hiddenField(page, 'form_token'),
          email: 'erika@example.com',
          message: 'A question.',
          ...fields,
        }),
        redirect: 'manual',
      });
    const attempts: Record<string, string>[] = [
      { name: 'Erika \u202EMuster' },
      { name: 'Erika\u200BMuster' },
      { name: 'Erika', company: 'ACME\u2067 Corp' },
    ];
    for (const fields of attempts) {
      const response = await send(fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('invisible formatting');
    }
    const nul = await send({ name: 'Erika', message: 'Hi\u0000there' });
    expect(nul.status).toBe(400);
    await nul.text();
    expect(await count('contact_enquiries')).toBe(0);
  });
});
